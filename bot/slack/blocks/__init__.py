"""Block Kit builders by subject: common (helpers, limits), ask, check, report, home."""
