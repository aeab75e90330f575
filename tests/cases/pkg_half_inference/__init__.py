"""An audio tagger whose attention fills its logits with a constant of another module, exported
in float16 by an inference module that no call of the analysis reaches (no script)."""
