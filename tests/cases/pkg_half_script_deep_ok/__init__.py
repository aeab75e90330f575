"""A float16 evaluation script whose helper runs the model: the fill sits six calls below the
script's own functions (main -> accuracy -> Tagger -> Encoder -> Block -> SelfAttention -> attend)."""
