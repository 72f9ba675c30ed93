"""Ranking and the not-covered decision.

Three signals per clause, each normalised per question, mixed with weights:
- lexical: BM25F with priors (bot.search.lexical.lexical), divided by the question's best score;
- dense: cosine of the question to the clause (title + heading + text) and to its summary, as
  exp((cos - best) / td): 1 for the nearest clause, falling off with the distance behind it;
- examples: for each clause, the similarity of its most similar labelled example (kNN), as exp(.. / tk);
- surface neighbours: the same kNN signals over characters 1–3-grams (bot.chargrams.GramIndex), for the
  phrasings a sentence vector blurs (slang, typos, 「裏垢」 vs 「鍵垢」);
- probe: a linear map from the question's vector to the clauses and 範囲外 (ridge least squares over the
  labelled examples' vectors), which generalises from all of a clause's examples at once where the kNN
  signals look at the few nearest;
- kernel probe: kernel ridge regression to the clauses and 範囲外 over the labelled examples, the kernel half
  the sentence vectors' similarity (exp((cos - 1) / KPROBE_T)) and half the character-gram cosine: it weighs
  every example by both kinds of nearness at once (probe alone, leave-one-batch-out over 40 batches: top-1
  0.862 vs 0.731 for the linear probe, 0.821 characters only, 0.818 sentence vectors only).

The not-covered decision is its own calibrated classifier (logistic regression over the fused score, the
margin, similarity to in-scope vs 範囲外 examples, dense and lexical evidence), not a side effect of a score.
Shown clauses (1–3, never padding): the best, then the next ones while their chance of being the first right
clause shown, P(k right) × Π P(earlier ones wrong) from the reranker's probabilities, clears ``show_bar``.
The bar is chosen on reranker probabilities cross-fitted over groups of batches (what an unseen question
gets), for the most questions with a right clause shown within MAX_AVG_SHOWN clauses on average.

Everything is trained on the examples when the knowledge changes (``train``): the weights by grid search,
the classifier on features where each example's neighbours come only from other batches (files), and its
probe outputs from a probe fitted without its group of batches, so the features look like those of a
question nobody has labelled; its threshold by leave-one-batch-out cross-validation. A question never
trains anything.
"""

from __future__ import annotations

import base64
import itertools
import json
from dataclasses import asdict, dataclass, field

import numpy as np

VOTE_K, VOTE_T = 10, 0.02
CHAR_VOTE_T = 0.05  # character cosines spread wider than the sentence vectors' (0–0.7 vs 0.8–1)
EXACT = 0.985  # a (near-)identical labelled example decides: its label is the answer
MAX_SHOWN = 3
KNN_MODE = "mix"  # nearest examples: best similarity per clause mixed with the vote of the 10 nearest (LOBO best)
RERANK = True  # the learned reranker over the fused signals (LOBO: 0.785 top-1 vs 0.776 for the grid mix)
PROBE = True  # the linear probe's outputs as reranker and not-covered features (LOBO 26 batches: top-1 0.775 → 0.807)
LOW_CONFIDENCE = 0.75  # answered below this probability: offer 総務課 as well
KPROBE = True  # the kernel probe's outputs as reranker and not-covered features
KPROBE_T, KPROBE_LAMBDA = 0.1, 0.3  # its kernel's temperature and ridge (probe-alone LOBO: 0.05–0.1 and 0.1–1 close)
FEATURES = ("fused_top", "fused_margin", "sim_in", "sim_out", "sim_diff", "sim_diff3", "dense_top",
            "lex_top", "coverage", "specific", "knn_top", "csim_in", "csim_diff")


def under(pred: str, expected: str) -> bool:
    """``pred`` is ``expected`` or one of its sub-clauses (7(3)① is under 7(3), 6(10) is not under 6(1))."""
    return pred == expected or (pred.startswith(expected) and pred[len(expected)] not in "0123456789")


def label_matrix(labels: list[tuple[str, ...]], ids: list[str]) -> np.ndarray:
    """(n × clauses) bool: clause j answers example i (it is a labelled id or under one)."""
    out = np.zeros((len(labels), len(ids)), dtype=bool)
    for i, lab in enumerate(labels):
        for j, cid in enumerate(ids):
            out[i, j] = any(under(cid, e) for e in lab)
    return out


@dataclass
class Params:
    wl: float = 0.4
    wd: float = 0.3
    wk: float = 0.3
    td: float = 0.03
    tk: float = 0.03
    parent: float = 1.0
    show_ratio: float = 0.9  # without the reranker (scores are not probabilities): within this share of the best
    show_bar: float = -1.0  # with it: the least chance of being the first right clause shown (-1: not trained)
    mean: list = field(default_factory=list)
    std: list = field(default_factory=list)
    coef: list = field(default_factory=list)
    bias: float = 0.0
    threshold: float = 0.5
    # the pairwise reranker (question, clause) → relevance, when trained; else the weighted mix above
    pair_mean: list = field(default_factory=list)
    pair_std: list = field(default_factory=list)
    pair_coef: list = field(default_factory=list)
    pair_bias: float = 0.0
    prior: list = field(default_factory=list)  # log(1 + examples labelled with the clause)
    probe_w: list = field(default_factory=list)  # the linear probe (D+1 × clauses+1): vector → clauses, 範囲外
    kprobe: str = ""  # the kernel probe's dual weights (first M pool examples × clauses+1), float32, base64
    kprobe_shape: list = field(default_factory=list)

    def arr(self, name: str) -> np.ndarray:
        """A list field as an array, converted once (fields are only ever replaced, never edited in place)."""
        value = getattr(self, name)
        memo = self.__dict__.setdefault("_arrays", {})
        hit = memo.get(name)
        if hit is None or hit[0] is not value:
            hit = memo[name] = (value, np.asarray(value, dtype=np.float64))
        return hit[1]

    def kalpha(self) -> np.ndarray | None:
        """The kernel probe's dual weights (M × clauses+1), decoded once; None when not trained."""
        if not self.kprobe:
            return None
        memo = self.__dict__.setdefault("_arrays", {})
        hit = memo.get("kprobe")
        if hit is None or hit[0] is not self.kprobe:
            a = np.frombuffer(base64.b64decode(self.kprobe), dtype=np.float32).reshape(self.kprobe_shape)
            hit = memo["kprobe"] = (self.kprobe, a.astype(np.float64))
        return hit[1]

    def set_kprobe(self, alpha: np.ndarray) -> None:
        """Keep the kernel probe's dual weights (M × clauses+1) as float32."""
        a = np.ascontiguousarray(alpha, dtype=np.float32)
        self.kprobe, self.kprobe_shape = base64.b64encode(a.tobytes()).decode("ascii"), list(a.shape)

    def to_json(self) -> str:
        return json.dumps(asdict(self))

    @classmethod
    def from_json(cls, text: str) -> Params:
        return cls(**json.loads(text))

    def prob(self, x: np.ndarray) -> np.ndarray:
        if not self.coef:  # no examples to learn from (another guideline): the lexical rule
            return ((x[:, 9] > 0) & (x[:, 8] >= 0.28) & (x[:, 7] >= np.log1p(2.0))).astype(float)
        z = ((x - self.arr("mean")) / self.arr("std")) @ self.arr("coef") + self.bias
        return 1.0 / (1.0 + np.exp(-z))


@dataclass
class Signals:
    """Raw signals of n questions over the clauses (arrays n × clauses, or n)."""

    lex: np.ndarray
    coverage: np.ndarray
    specific: np.ndarray
    dense_clause: np.ndarray
    dense_summary: np.ndarray
    knn: np.ndarray  # best similarity of an example labelled with the clause; -1 when none
    vote: np.ndarray  # share of the nearest examples' (similarity-weighted) votes for the clause
    sim_in: np.ndarray
    sim_out: np.ndarray
    sim_in3: np.ndarray
    sim_out3: np.ndarray
    nearest_sim: np.ndarray  # the most similar example
    nearest: np.ndarray  # its index in the pool (-1 when the pool is empty)
    qv: np.ndarray  # the questions' vectors (n × D), read by the probe
    cknn: np.ndarray  # the same as knn, vote, sim_in and sim_out over character n-grams (surface neighbours)
    cvote: np.ndarray
    csim_in: np.ndarray
    csim_out: np.ndarray
    probe: np.ndarray  # while training: cross-fitted probe outputs (n × clauses+1); else n × 0 (from Params)
    kern: np.ndarray | None = None  # the kernel probe's kernel to every pool example (n × N); None: no kernel probe
    kprobe: np.ndarray | None = None  # while training: cross-fitted kernel probe outputs (n × clauses+1)

    def rows(self, sel) -> Signals:
        return Signals(**{k: None if v is None else v[sel] for k, v in self.__dict__.items()})


def example_signals(sims: np.ndarray, labels: np.ndarray, oos: np.ndarray, allowed: np.ndarray,
                    vote_t: float = VOTE_T) -> dict:
    """kNN signals for n questions given their similarities to the pool (n × N), the pool's label matrix
    (N × C), its 範囲外 mask (N) and which pool examples each question may use (n × N bool)."""
    n, _ = sims.shape
    c = labels.shape[1]
    masked = np.where(allowed, sims, -1.0)
    if n * labels.size <= 4_000_000:  # a question or a few (serving): one pass over the pool
        knn = np.where(labels[None, :, :], masked[:, :, None], -1.0).max(axis=1).astype(np.float32) if len(labels) \
            else np.full((n, c), -1.0, dtype=np.float32)
    else:
        knn = np.full((n, c), -1.0, dtype=np.float32)
        for j in range(c):
            cols = np.flatnonzero(labels[:, j])
            if len(cols):
                knn[:, j] = masked[:, cols].max(axis=1)

    def top(mask, k):
        if not mask.any():
            return np.full(n, -1.0, dtype=np.float32), np.full(n, -1.0, dtype=np.float32)
        part = masked[:, mask]
        k = min(k, part.shape[1])
        best = -np.sort(-part, axis=1)[:, :k]
        return best[:, 0], best.mean(axis=1)

    vote = np.zeros((n, c), dtype=np.float32)
    if masked.shape[1]:
        k = min(VOTE_K, masked.shape[1])
        near = np.argpartition(-masked, k - 1, axis=1)[:, :k]
        s = np.take_along_axis(masked, near, axis=1)
        w = np.exp((s - s.max(axis=1, keepdims=True)) / vote_t) * (s > -1)
        vote = np.einsum("nk,nkc->nc", w, labels[near].astype(np.float32)) / np.maximum(w.sum(axis=1, keepdims=True), 1e-9)
    sim_in, sim_in3 = top(~oos, 3)
    sim_out, sim_out3 = top(oos, 3)
    if masked.shape[1]:
        nearest = masked.argmax(axis=1)
        nearest_sim = masked[np.arange(n), nearest]
        nearest = np.where(nearest_sim > -1, nearest, -1)
    else:
        nearest, nearest_sim = np.full(n, -1), np.full(n, -1.0)
    return dict(knn=knn, vote=vote, sim_in=sim_in, sim_out=sim_out, sim_in3=sim_in3, sim_out3=sim_out3,
                nearest_sim=nearest_sim, nearest=nearest)


def char_signals(sims: np.ndarray, labels: np.ndarray, oos: np.ndarray, allowed: np.ndarray) -> dict:
    """The surface-neighbour fields of Signals from character-gram cosines to the pool (n × N)."""
    k = example_signals(sims, labels, oos, allowed, vote_t=CHAR_VOTE_T)
    return dict(cknn=k["knn"], cvote=k["vote"], csim_in=k["sim_in"], csim_out=k["sim_out"])


def ridge_probe(x: np.ndarray, y: np.ndarray, lam: float | None = None) -> np.ndarray:
    """Least-squares linear probe (D+1 × K, last row the intercept) from vectors x (n × D) to y (n × K)."""
    lam = PROBE_LAMBDA if lam is None else lam
    xa = np.hstack([x, np.ones((len(x), 1))]).astype(np.float64)
    reg = lam * np.eye(xa.shape[1])
    reg[-1, -1] = 0.0
    return np.linalg.solve(xa.T @ xa + reg, xa.T @ y.astype(np.float64))


def probe_targets(gold: np.ndarray, in_scope: np.ndarray) -> np.ndarray:
    """Targets of the probe: the clause labels (multi-hot) and a 範囲外 column."""
    return np.hstack([gold.astype(float), (~in_scope.astype(bool)).astype(float)[:, None]])


def kernel(dense_sims: np.ndarray, char_sims: np.ndarray) -> np.ndarray:
    """The kernel probe's kernel from sentence-vector and character-gram cosines (same shape)."""
    return (0.5 * np.exp((dense_sims - 1.0) / KPROBE_T) + 0.5 * char_sims).astype(np.float32)


def kernel_probe(k: np.ndarray, y: np.ndarray, lam: float = KPROBE_LAMBDA) -> np.ndarray:
    """Dual weights (n × K) of kernel ridge regression for the kernel ``k`` (n × n) and targets ``y``."""
    from scipy.linalg import cho_factor, cho_solve  # the kernel is symmetric positive definite: Cholesky, ~2× LU

    a = k.astype(np.float32)  # float32: the kernel of ~4,000 examples is 64 MB, half of float64 (serve ≤ 600 MB)
    a[np.diag_indices_from(a)] += lam
    return cho_solve(cho_factor(a, check_finite=False, overwrite_a=True), y.astype(np.float32), check_finite=False)


def kprobe_of(sig: Signals, p: Params) -> np.ndarray | None:
    """Kernel probe outputs (n × clauses+1): cross-fitted ones while training, else from the trained weights."""
    if sig.kprobe is not None:
        return sig.kprobe
    alpha = p.kalpha()
    if alpha is None or sig.kern is None:
        return None
    return sig.kern[:, :len(alpha)].astype(np.float64) @ alpha


def probe_of(sig: Signals, p: Params) -> np.ndarray | None:
    """Probe outputs (n × clauses+1): cross-fitted ones while training, else from the trained probe."""
    if sig.probe.shape[1]:
        return sig.probe
    if p.probe_w:
        w = p.arr("probe_w")
        return sig.qv.astype(np.float64) @ w[:-1] + w[-1]
    return None


def _soft(x: np.ndarray, t: float, valid: np.ndarray | None = None) -> np.ndarray:
    best = x.max(axis=1, keepdims=True)
    out = np.exp((x - best) / t)
    if valid is not None:
        out = np.where(valid, out, 0.0)
    return out


def components(sig: Signals, td: float, tk: float) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    lmax = sig.lex.max(axis=1, keepdims=True)
    lex = np.where(lmax > 0, sig.lex / np.where(lmax > 0, lmax, 1), 0.0)
    dense = _soft(0.5 * (sig.dense_clause + sig.dense_summary), td)
    knn = _soft(sig.knn, tk, sig.knn > -1)
    if KNN_MODE == "vote":
        knn = sig.vote / np.maximum(sig.vote.max(axis=1, keepdims=True), 1e-9)
    elif KNN_MODE == "mix":
        knn = 0.5 * knn + 0.5 * sig.vote / np.maximum(sig.vote.max(axis=1, keepdims=True), 1e-9)
    return lex, dense, knn


def pair_features(sig: Signals, parents: np.ndarray, prior: np.ndarray, probe: np.ndarray | None = None,
                  kprobe: np.ndarray | None = None) -> np.ndarray:
    """(n × clauses × F) features of each (question, clause) pair for the reranker."""
    lmax = sig.lex.max(axis=1, keepdims=True)
    lex = np.where(lmax > 0, sig.lex / np.where(lmax > 0, lmax, 1), 0.0)
    dense = 0.5 * (sig.dense_clause + sig.dense_summary)
    valid = sig.knn > -1
    kgap = np.where(valid, sig.knn - sig.knn.max(axis=1, keepdims=True), -0.3)
    vote = sig.vote / np.maximum(sig.vote.max(axis=1, keepdims=True), 1e-9)
    cvalid = sig.cknn > -1
    cgap = np.where(cvalid, sig.cknn - sig.cknn.max(axis=1, keepdims=True), -0.5)
    cvote = sig.cvote / np.maximum(sig.cvote.max(axis=1, keepdims=True), 1e-9)
    n, c = lex.shape
    feats = [lex, np.log1p(sig.lex), _soft(dense, 0.02), _soft(dense, 0.05), dense - dense.max(axis=1, keepdims=True),
             _soft(sig.knn, 0.02, valid), _soft(sig.knn, 0.05, valid), kgap, vote, sig.vote,
             np.broadcast_to(parents.astype(float), (n, c)), np.broadcast_to(prior, (n, c)),
             _soft(sig.cknn, 0.05, cvalid), cgap, cvote]
    if probe is not None:
        pc = probe[:, :c]
        feats += [pc, pc - pc.max(axis=1, keepdims=True), _soft(pc, 0.1)]
    if kprobe is not None:
        kc = kprobe[:, :c]
        feats += [kc, kc - kc.max(axis=1, keepdims=True), _soft(kc, 0.1)]
    return np.stack(feats, axis=2).astype(np.float64)


def fuse(sig: Signals, p: Params, parents: np.ndarray, comps=None) -> np.ndarray:
    if p.pair_coef:
        x = pair_features(sig, parents, p.arr("prior"), probe_of(sig, p), kprobe_of(sig, p))
        z = ((x - p.arr("pair_mean")) / p.arr("pair_std")) @ p.arr("pair_coef") + p.pair_bias
        return 1.0 / (1.0 + np.exp(-z))
    lex, dense, knn = comps if comps is not None else components(sig, p.td, p.tk)
    fused = p.wl * lex + p.wd * dense + p.wk * knn
    return fused * np.where(parents, p.parent, 1.0)


def features(sig: Signals, fused: np.ndarray, probe: np.ndarray | None = None,
             kprobe: np.ndarray | None = None) -> np.ndarray:
    top2 = -np.sort(-fused, axis=1)[:, :2]
    dense = 0.5 * (sig.dense_clause + sig.dense_summary)
    cols = [
        top2[:, 0], top2[:, 0] - top2[:, 1], sig.sim_in, sig.sim_out, sig.sim_in - sig.sim_out,
        sig.sim_in3 - sig.sim_out3, dense.max(axis=1), np.log1p(sig.lex.max(axis=1)), sig.coverage,
        sig.specific.astype(float), sig.knn.max(axis=1), sig.csim_in, sig.csim_in - sig.csim_out,
    ]
    if probe is not None:  # the probe's 範囲外 output and its best clause output
        cols += [probe[:, -1], probe[:, :-1].max(axis=1)]
    if kprobe is not None:  # the same of the kernel probe
        cols += [kprobe[:, -1], kprobe[:, :-1].max(axis=1)]
    return np.column_stack(cols).astype(np.float64)


def first_right_chance(vals: np.ndarray) -> np.ndarray:
    """(n × k) chance that the k-th best is the first right clause: P(k) × Π_{j<k} (1 − P(j)), for the
    reranker's probabilities ``vals`` sorted best first (independence assumed)."""
    miss = np.cumprod(np.hstack([np.ones((len(vals), 1)), 1.0 - np.clip(vals[:, :-1], 0.0, 1.0)]), axis=1)
    return miss * vals


def shown_clauses(f: np.ndarray, p: Params, twin: bool = False) -> list[tuple[int, float]]:
    """The clauses to show for one question's scores ``f`` (1–3, best first)."""
    order = np.argsort(-f, kind="stable")[:MAX_SHOWN]
    vals = f[order]
    if twin:  # a labelled twin decided: its clauses (scores lifted by 10), nothing else
        keep = vals >= 10.0
    elif p.pair_coef and p.show_bar >= 0:
        keep = first_right_chance(vals[None, :])[0] >= p.show_bar
    else:
        keep = (vals > 0) & (vals >= vals[0] * p.show_ratio)
    keep[0] = True
    return [(int(k), float(f[k])) for k, ok in zip(order, keep) if ok]


@dataclass
class Decision:
    answered: bool
    confidence: float
    low_confidence: bool = False
    shown: list[tuple[int, float]] = field(default_factory=list)  # (clause index, fused score), best first


def decide_arrays(sig: Signals, p: Params, parents: np.ndarray, pool_oos: np.ndarray,
                  pool_labels: np.ndarray) -> list[Decision]:
    """Decisions for n questions (the same code for serving and for cross-validation)."""
    fused = fuse(sig, p, parents)
    prob = p.prob(features(sig, fused, probe_of(sig, p), kprobe_of(sig, p)))
    out = []
    for i in range(len(fused)):
        f = fused[i]
        answered = bool(prob[i] >= p.threshold)
        j = int(sig.nearest[i])
        if j >= 0 and sig.nearest_sim[i] >= EXACT:  # a labelled twin decides
            answered = not pool_oos[j]
            if answered:
                f = f + pool_labels[j] * 10.0
        if not answered:
            out.append(Decision(False, float(prob[i])))
            continue
        shown = shown_clauses(f, p, twin=j >= 0 and sig.nearest_sim[i] >= EXACT)
        out.append(Decision(True, float(prob[i]), bool(prob[i] < max(LOW_CONFIDENCE, p.threshold)), shown))
    return out


# --- training ------------------------------------------------------------------------------------------


def _logreg(x: np.ndarray, y: np.ndarray, l2: float = 1e-2, steps: int = 400, balanced: bool = True) -> tuple:
    mean, std = x.mean(axis=0), x.std(axis=0) + 1e-6
    z = (x - mean) / std
    zt = np.ascontiguousarray(z.T)  # the gradient's product reads rows: ~30 % faster on the reranker's pairs
    w = np.zeros(z.shape[1])
    b = 0.0
    pos = y.mean() if len(y) else 0.5
    sw = np.where(y > 0, 0.5 / max(pos, 1e-6), 0.5 / max(1 - pos, 1e-6)) if balanced else np.ones(len(y))
    sw = sw / sw.sum()
    lr = 1.0
    g = np.empty(len(y))
    for _ in range(steps):  # g = sw * (sigmoid(z @ w + b) - y), in place
        np.dot(z, w, out=g)
        g += b
        np.negative(g, out=g)
        np.exp(g, out=g)
        g += 1.0
        np.reciprocal(g, out=g)
        g -= y
        g *= sw
        w -= lr * (zt @ g + l2 * w)
        b -= lr * float(g.sum())
    return mean, std, w, b


def _threshold(prob: np.ndarray, y: np.ndarray) -> float:
    """The threshold that best meets both targets: answer ≥ 95 % in scope, refuse ≥ 85 % 範囲外."""
    best, best_t = -1.0, 0.5
    pos, neg = y > 0, y == 0
    for t in np.linspace(0.05, 0.95, 91):
        answered = (prob[pos] >= t).mean() if pos.any() else 1.0
        refused = (prob[neg] < t).mean() if neg.any() else 1.0
        score = min(answered / 0.95, refused / 0.85) + 1e-3 * (answered + refused)
        if score > best:
            best, best_t = score, float(t)
    return best_t


WEIGHT_GRID = [(a / 10, b / 10, (10 - a - b) / 10) for a in range(11) for b in range(11 - a)]
T_GRID = (0.02, 0.05)
PARENT_GRID = (1.0, 0.85)
SHOW_GRID = (0.98, 0.95, 0.9, 0.85, 0.8, 0.7, 0.6, 0.5, 0.4, 0.3, 0.2)
MAX_AVG_SHOWN = 1.7  # on unseen questions (LOBO 1.65, top-3 as with the old margin; acceptance ≤ 2 — 1.5 gave 1.47 but cost 0.9 points of top-3)
PROBE_LAMBDA = 0.5  # ridge of the probe (LOBO: 0.1–0.5 equal, 1 a little worse, 4 and 16 worse)
PROBE_FOLDS = 5  # training features: each example's probe output comes from a probe fitted without its group


def tune_weights(sig: Signals, gold: np.ndarray, parents: np.ndarray) -> Params:
    """Grid search of the mix (weights, temperatures, parent factor) for top-1 on in-scope examples."""
    best, best_p = -1.0, Params()
    rows = np.arange(len(gold))
    for td, tk in itertools.product(T_GRID, T_GRID):
        comps = components(sig, td, tk)
        for parent in PARENT_GRID:
            for wl, wd, wk in WEIGHT_GRID:
                p = Params(wl, wd, wk, td, tk, parent)
                top = fuse(sig, p, parents, comps).argmax(axis=1)
                score = gold[rows, top].mean() if len(rows) else 0.0
                if score > best + 1e-9:
                    best, best_p = score, p
    return best_p


def tune_show(sig: Signals, gold: np.ndarray, p: Params, parents: np.ndarray) -> float:
    """The margin: fewest clauses shown (≤ MAX_AVG_SHOWN on average) that still catch the answer most."""
    fused = fuse(sig, p, parents)
    order = np.argsort(-fused, axis=1, kind="stable")[:, :MAX_SHOWN]
    top = fused[np.arange(len(fused)), order[:, 0]][:, None]
    vals = np.take_along_axis(fused, order, axis=1)
    hits = np.take_along_axis(gold, order, axis=1)
    best, best_r = (-1.0, 0.0), SHOW_GRID[0]
    for r in SHOW_GRID:
        shown = (vals >= top * r) & (vals > 0)
        shown[:, 0] = True
        avg = shown.sum(axis=1).mean()
        hit = (shown & hits).any(axis=1).mean()
        key = (hit if avg <= MAX_AVG_SHOWN else -avg, -avg)
        if key > best:
            best, best_r = key, r
    return best_r


SHOW_BARS = tuple(np.round(np.linspace(0.0, 0.3, 121), 4))


def tune_bar(vals: np.ndarray, hits: np.ndarray) -> float:
    """The bar on the first-right chance for reranker probabilities ``vals`` (n × 3, best first, cross-fitted)
    and whether each is right (``hits``): the most questions with a right clause shown, at most MAX_AVG_SHOWN
    clauses on average (ties: fewer shown)."""
    chance = first_right_chance(vals)
    best, best_t = None, SHOW_BARS[-1]
    for t in SHOW_BARS:
        shown = chance >= t
        shown[:, 0] = True
        avg = shown.sum(axis=1).mean()
        key = ((shown & hits).any(axis=1).mean() if avg <= MAX_AVG_SHOWN else -avg, -avg)
        if best is None or key > best:
            best, best_t = key, float(t)
    return best_t


def fit(sig: Signals, gold: np.ndarray, in_scope: np.ndarray, batches: np.ndarray, parents: np.ndarray,
        pool_rows: np.ndarray | None = None) -> Params:
    """Train every parameter on examples whose kNN signals come from other batches only. ``pool_rows``: each
    example's position in the pool (default: the pool starts with them, in order)."""
    ins = np.flatnonzero(in_scope)
    p = tune_weights(sig.rows(ins), gold[ins], parents)
    groups = batches % PROBE_FOLDS if len(np.unique(batches % PROBE_FOLDS)) >= 2 else batches  # the probes' folds
    y = probe_targets(gold, in_scope)  # the probes' targets
    if PROBE and len(np.unique(batches)) >= 2:
        cross = np.zeros(y.shape)
        for g in np.unique(groups):
            held = groups == g
            w = ridge_probe(sig.qv[~held], y[~held])
            cross[held] = sig.qv[held].astype(np.float64) @ w[:-1] + w[-1]
        p.probe_w = ridge_probe(sig.qv, y).tolist()
        sig = Signals(**{**sig.__dict__, "probe": cross})
    if KPROBE and sig.kern is not None and len(np.unique(batches)) >= 2:
        pos = np.arange(len(y)) if pool_rows is None else np.asarray(pool_rows)
        k = sig.kern[:, :len(pos)] if np.array_equal(pos, np.arange(len(pos))) else sig.kern[:, pos]
        cross = np.zeros(y.shape)
        for g in np.unique(groups):
            held = groups == g
            cross[held] = k[np.ix_(held, ~held)] @ kernel_probe(k[np.ix_(~held, ~held)], y[~held])
        alpha = np.zeros((int(pos.max()) + 1, y.shape[1]), dtype=np.float32)
        alpha[pos] = kernel_probe(k, y)
        p.set_kprobe(alpha)
        sig = Signals(**{**sig.__dict__, "kprobe": cross})
    if RERANK:
        prior = np.log1p(gold[ins].sum(axis=0)).astype(float)
        x = pair_features(sig.rows(ins), parents, prior, probe_of(sig.rows(ins), p), kprobe_of(sig.rows(ins), p))
        f = x.shape[2]
        y = gold[ins].astype(float)
        m, sd, w, c = _logreg(x.reshape(-1, f), y.reshape(-1), l2=1e-3, steps=300, balanced=False)
        p.pair_mean, p.pair_std, p.pair_coef, p.pair_bias, p.prior = m.tolist(), sd.tolist(), w.tolist(), float(c), prior.tolist()
        # the bar: on probabilities of a reranker fitted without the example's group of batches
        groups = batches[ins] % PROBE_FOLDS
        if len(np.unique(groups)) >= 2:
            cross = np.zeros(y.shape)
            for g in np.unique(groups):
                held = groups == g
                m, sd, w, c = _logreg(x[~held].reshape(-1, f), y[~held].reshape(-1), l2=1e-3, steps=300, balanced=False)
                cross[held] = 1.0 / (1.0 + np.exp(-(((x[held] - m) / sd) @ w + c)))
            order = np.argsort(-cross, axis=1, kind="stable")[:, :MAX_SHOWN]
            p.show_bar = tune_bar(np.take_along_axis(cross, order, axis=1), np.take_along_axis(gold[ins], order, axis=1))
    p.show_ratio = tune_show(sig.rows(ins), gold[ins], p, parents)
    x = features(sig, fuse(sig, p, parents), probe_of(sig, p), kprobe_of(sig, p))
    y = in_scope.astype(float)
    # threshold by leave-one-batch-out: each batch's probabilities from a classifier trained without it
    prob = np.zeros(len(y))
    for b in np.unique(batches):
        held = batches == b
        if held.all() or len(np.unique(y[~held])) < 2:
            prob[held] = 0.5
            continue
        m, s, w, c = _logreg(x[~held], y[~held])
        prob[held] = 1 / (1 + np.exp(-(((x[held] - m) / s) @ w + c)))
    mean, std, w, c = _logreg(x, y)
    p.mean, p.std, p.coef, p.bias = mean.tolist(), std.tolist(), w.tolist(), float(c)
    p.threshold = _threshold(prob, y) if len(np.unique(y)) == 2 else 0.5
    return p
