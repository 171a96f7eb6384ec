"""The screens of the form-filler: one per Quadro, the final screen, dialogs."""
