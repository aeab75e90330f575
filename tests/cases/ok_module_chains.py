import torch
import torch.nn as nn

attn = nn.MultiheadAttention(16, 4, batch_first=True).eval()
x = torch.randn(2, 5, 16)
pad = torch.zeros(2, 5, dtype=torch.bool)
out, _ = attn(x, x, x, key_padding_mask=pad)

causal = torch.triu(torch.ones(5, 5, dtype=torch.bool), 1)
attn2 = nn.MultiheadAttention(16, 4, batch_first=True).to("cpu").requires_grad_(False)
out, _ = attn2(x, x, x, attn_mask=causal)
