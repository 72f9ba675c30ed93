"""浦臼町ソーシャルメディア活用ガイドライン assistant: Ask, Check and Report, for Slack and the command line."""

__version__ = "0.1.0"
