"""Reusable widgets: the grid of a Quadro's cells, the edit line, status and message panels."""
