import torch
import torch.nn as nn
import torch.nn.functional as F

layer = nn.TransformerEncoderLayer(8, 2, batch_first=True)
encoder = nn.TransformerEncoder(layer, num_layers=1)
x = torch.randn(2, 4, 8)

attention_mask = torch.tensor([[1, 1, 0, 0], [1, 1, 1, 0]])
out = encoder(x, src_key_padding_mask=attention_mask == 0)
out = encoder(x, src_key_padding_mask=~attention_mask.bool())

pad = torch.tensor([[False, False, True, True], [False, False, False, True]])
out = encoder(x, src_key_padding_mask=pad)

explicit = torch.tensor([[0, 0, 1, 1]], dtype=torch.bool)
out = encoder(x[:1], src_key_padding_mask=explicit)

q = torch.randn(2, 2, 4, 4)
keep = torch.tensor([[1, 1, 0, 0], [1, 1, 1, 0]], dtype=torch.bool)
out = F.scaled_dot_product_attention(q, q, q, attn_mask=keep[:, None, None, :])
positions = torch.tensor([0, 1, 2, 3])
shift = torch.tensor([[1, 2], [3, 4]])

# an empty sample next to a right-padded one: which value is real is not known from the literal
context_mask = torch.tensor([[True, True, True, False], [False, False, False, False]])
out = F.scaled_dot_product_attention(q, q, q, attn_mask=context_mask[:, None, None, :])

# left padding, turned into the True = padding mask the encoder wants
prompts = torch.tensor([[1, 1, 1, 1], [0, 0, 1, 1]])
out = encoder(x, src_key_padding_mask=prompts == 0)

lengths_mask = torch.tensor([[1] * 4, [1] * 2 + [0] * 2])
out = encoder(x, src_key_padding_mask=lengths_mask == 0)
