"""Loading, rendering and sanitising Markdown: the only place that does it."""
