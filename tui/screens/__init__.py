"""Full screens of the workbench."""
