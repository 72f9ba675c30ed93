"""The Slack app: thin listeners that call the core (bot.search, bot.screening, bot.feedback) and render
results with blocks.py and templates/. Start it with ``python -m bot serve`` (see bot/cli/serve.py)."""
