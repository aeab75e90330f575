"""Protein language model encoder (ESM-like, tiny) with a contact-map head."""
import torch
from torch import nn

AMINO = "ACDEFGHIKLMNPQRSTVWY"
PAD_IDX, CLS_IDX, EOS_IDX, MASK_IDX = 0, 1, 2, 3


class RobertaLMHead(nn.Module):
    def __init__(self, embed_dim, output_dim):
        super().__init__()
        self.dense = nn.Linear(embed_dim, embed_dim)
        self.layer_norm = nn.LayerNorm(embed_dim)
        self.out = nn.Linear(embed_dim, output_dim)

    def forward(self, features):
        return self.out(self.layer_norm(nn.functional.gelu(self.dense(features))))


class TransformerLayer(nn.Module):
    def __init__(self, embed_dim, ffn_embed_dim, attention_heads):
        super().__init__()
        self.self_attn_layer_norm = nn.LayerNorm(embed_dim)
        self.self_attn = nn.MultiheadAttention(embed_dim, attention_heads, batch_first=True)
        self.final_layer_norm = nn.LayerNorm(embed_dim)
        self.fc1 = nn.Linear(embed_dim, ffn_embed_dim)
        self.fc2 = nn.Linear(ffn_embed_dim, embed_dim)

    def forward(self, x, self_attn_mask=None, self_attn_padding_mask=None, need_head_weights=False):
        residual = x
        x = self.self_attn_layer_norm(x)
        x, attn = self.self_attn(
            x, x, x,
            key_padding_mask=self_attn_padding_mask,
            attn_mask=self_attn_mask,
            need_weights=need_head_weights,
            average_attn_weights=False,
        )
        x = residual + x
        x = x + self.fc2(nn.functional.gelu(self.fc1(self.final_layer_norm(x))))
        return x, attn


class TinyESM(nn.Module):
    def __init__(self, num_layers=3, embed_dim=64, attention_heads=4):
        super().__init__()
        self.alphabet_size = len(AMINO) + 4
        self.embed_tokens = nn.Embedding(self.alphabet_size, embed_dim, padding_idx=PAD_IDX)
        self.layers = nn.ModuleList(
            TransformerLayer(embed_dim, 4 * embed_dim, attention_heads) for _ in range(num_layers))
        self.emb_layer_norm_after = nn.LayerNorm(embed_dim)
        self.lm_head = RobertaLMHead(embed_dim, self.alphabet_size)
        self.contact_head = nn.Linear(num_layers * attention_heads, 1)

    def forward(self, tokens, return_contacts=False):
        padding_mask = tokens.eq(PAD_IDX)
        x = self.embed_tokens(tokens) * (~padding_mask).unsqueeze(-1)
        attn_maps = []
        for layer in self.layers:
            x, attn = layer(x, padding_mask, need_head_weights=return_contacts)  # expect: ML501
            if return_contacts:
                attn_maps.append(attn)
        x = self.emb_layer_norm_after(x)
        out = {"logits": self.lm_head(x)}
        if return_contacts:
            maps = torch.cat(attn_maps, dim=1).permute(0, 2, 3, 1)
            out["contacts"] = torch.sigmoid(self.contact_head(maps).squeeze(-1))
        return out


def tokenize(seqs):
    width = max(len(s) for s in seqs) + 2
    toks = torch.full((len(seqs), width), PAD_IDX)
    for i, s in enumerate(seqs):
        ids = [CLS_IDX] + [AMINO.index(a) + 4 for a in s] + [EOS_IDX]
        toks[i, : len(ids)] = torch.tensor(ids)
    return toks


if __name__ == "__main__":
    torch.manual_seed(0)
    model = TinyESM().eval()
    tokens = tokenize(["MKTAYIAKQRQISFVKSHFSRQ", "MGSSHHHHHH"])
    try:
        with torch.no_grad():
            out = model(tokens, return_contacts=True)
        print("logits", tuple(out["logits"].shape), "contacts", tuple(out["contacts"].shape))
    except (AssertionError, RuntimeError) as err:
        print("inference failed:", err)
