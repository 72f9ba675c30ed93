"""浦臼町ソーシャルメディア活用ガイドライン assistant: Ask, Check and Report, for Slack and the command line."""

from bot import config as _config

_config.limit_blas_threads()  # before numpy is first imported (importing ``bot`` does it)

__version__ = "0.1.0"
