"""Scene-text recognition decoder in the style of baudm/parseq: permutation language
modelling with a two-stream decoder built on nn.MultiheadAttention (batch_first)."""
import torch
import torch.nn as nn
import torch.nn.functional as F

BOS, EOS, PAD = 0, 1, 2


def generate_attn_masks(perm):
    sz = perm.shape[0]
    mask = torch.zeros((sz, sz), dtype=torch.bool)
    for i in range(sz):
        query_idx = perm[i]
        masked_keys = perm[i + 1:]
        mask[query_idx, masked_keys] = True
    content_mask = mask[:-1, :-1].clone()
    mask[torch.eye(sz, dtype=torch.bool)] = True
    query_mask = mask[1:, :-1]
    return content_mask, query_mask


class DecoderLayer(nn.Module):
    def __init__(self, d_model, nhead, dim_feedforward=64):
        super().__init__()
        self.self_attn = nn.MultiheadAttention(d_model, nhead, batch_first=True)
        self.cross_attn = nn.MultiheadAttention(d_model, nhead, batch_first=True)
        self.linear1 = nn.Linear(d_model, dim_feedforward)
        self.linear2 = nn.Linear(dim_feedforward, d_model)
        self.norm1, self.norm2, self.norm3 = nn.LayerNorm(d_model), nn.LayerNorm(d_model), nn.LayerNorm(d_model)

    def forward_stream(self, tgt, tgt_kv, memory, tgt_mask, tgt_key_padding_mask):
        tgt2, sa_weights = self.self_attn(tgt, tgt_kv, tgt_kv, attn_mask=tgt_mask, key_padding_mask=tgt_key_padding_mask)
        tgt = self.norm1(tgt + tgt2)
        tgt2, ca_weights = self.cross_attn(tgt, memory, memory)
        tgt = self.norm2(tgt + tgt2)
        return self.norm3(tgt + self.linear2(F.gelu(self.linear1(tgt))))

    def forward(self, query, content, memory, query_mask, content_mask, content_key_padding_mask):
        query = self.forward_stream(query, content, memory, query_mask, content_key_padding_mask)
        content = self.forward_stream(content, content, memory, content_mask, content_key_padding_mask)
        return query, content


class PARSeqHead(nn.Module):
    def __init__(self, charset_size=12, max_label_length=6, d_model=32, nhead=4):
        super().__init__()
        self.text_embed = nn.Embedding(charset_size + 3, d_model)
        self.pos_queries = nn.Parameter(torch.randn(1, max_label_length + 1, d_model) * 0.02)
        self.layer = DecoderLayer(d_model, nhead)
        self.head = nn.Linear(d_model, charset_size + 1)

    def forward(self, tgt_in, memory, perm):
        content_mask, query_mask = generate_attn_masks(perm)
        padding_mask = tgt_in == PAD
        content = self.text_embed(tgt_in)
        query = self.pos_queries[:, : tgt_in.shape[1]].expand(tgt_in.shape[0], -1, -1)
        query, _ = self.layer(query, content, memory, query_mask, content_mask, padding_mask)
        return self.head(query)


if __name__ == "__main__":
    torch.manual_seed(0)
    model = PARSeqHead()
    memory = torch.randn(2, 16, 32)
    tgt = torch.tensor([[BOS, 5, 7, 9, EOS, PAD, PAD], [BOS, 4, 4, 8, 10, 11, EOS]])
    tgt_in, tgt_out = tgt[:, :-1], tgt[:, 1:]
    perm = torch.cat([torch.tensor([0]), torch.randperm(5) + 1, torch.tensor([6])])
    logits = model(tgt_in, memory, perm)
    loss = F.cross_entropy(logits.flatten(end_dim=1), tgt_out.flatten() - 1, ignore_index=PAD - 1)
    loss.backward()
    print("loss", loss.item())
