"""Qt widgets, item models and dialogs. Calls services; never opens a database session."""
