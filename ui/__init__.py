"""Qt user interface; the composition root is ui.main."""
