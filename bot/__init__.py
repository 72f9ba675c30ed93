"""浦臼町ソーシャルメディア活用ガイドライン assistant: Ask, Check and Report, for Slack and the command line."""

import os as _os

# numpy's OpenBLAS starts one busy-waiting thread per core on its first matrix product and keeps them spinning
# after it; those threads take the core the embedding model's second thread needs (bench_ask.py: warm p99
# 127 → 93 ms with one). Our products are small (a question against a few thousand vectors): one thread is
# as fast. Set before numpy is first imported (importing ``bot`` does it); an operator's value is kept.
_os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")

__version__ = "0.1.0"
