# EXPECT: bug a per-sample (B, L, S) boolean mask is passed to F.scaled_dot_product_attention, which broadcasts it as (1, B, L, S); with batch size equal to the number of heads it runs silently and head i gets sample i's image/text padding mask.
"""Image-text fusion encoder (text tokens attend over [image patches; text]) in the style of salesforce/LAVIS BLIP Q-Former / ALBEF, with scaled_dot_product_attention."""
import torch
import torch.nn as nn
import torch.nn.functional as F


class FusionAttention(nn.Module):
    def __init__(self, dim, heads, dropout):
        super().__init__()
        self.heads = heads
        self.q = nn.Linear(dim, dim)
        self.kv = nn.Linear(dim, 2 * dim)
        self.o = nn.Linear(dim, dim)
        self.dropout = dropout

    def forward(self, text, context, mask):
        B, L, D = text.shape
        S = context.size(1)
        q = self.q(text).view(B, L, self.heads, D // self.heads).transpose(1, 2)
        k, v = self.kv(context).view(B, S, 2, self.heads, D // self.heads).permute(2, 0, 3, 1, 4)
        y = F.scaled_dot_product_attention(q, k, v, attn_mask=mask, dropout_p=self.dropout if self.training else 0.0)  # BUG-SITE
        return self.o(y.transpose(1, 2).reshape(B, L, D))


class FusionLayer(nn.Module):
    def __init__(self, dim, heads, dropout):
        super().__init__()
        self.attn = FusionAttention(dim, heads, dropout)
        self.norm1 = nn.LayerNorm(dim)
        self.ffn = nn.Sequential(nn.Linear(dim, 2 * dim), nn.GELU(), nn.Linear(2 * dim, dim))
        self.norm2 = nn.LayerNorm(dim)
        self.drop = nn.Dropout(dropout)

    def forward(self, text, image, mask):
        context = torch.cat([image, text], dim=1)
        text = self.norm1(text + self.drop(self.attn(text, context, mask)))
        return self.norm2(text + self.drop(self.ffn(text)))


class ITMModel(nn.Module):
    def __init__(self, vocab=50, dim=32, heads=4, layers=2, patch_dim=12, dropout=0.1):
        super().__init__()
        self.word_emb = nn.Embedding(vocab, dim, padding_idx=0)
        self.pos_emb = nn.Embedding(16, dim)
        self.visual_proj = nn.Linear(patch_dim, dim)
        self.layers = nn.ModuleList([FusionLayer(dim, heads, dropout) for _ in range(layers)])
        self.itm_head = nn.Linear(dim, 2)

    def forward(self, input_ids, text_mask, patches, image_mask):
        L = input_ids.size(1)
        text = self.word_emb(input_ids) + self.pos_emb(torch.arange(L))
        image = self.visual_proj(patches)
        key_valid = torch.cat([image_mask, text_mask], dim=1)
        mask = key_valid[:, None, :].expand(-1, L, -1)
        for layer in self.layers:
            text = layer(text, image, mask)
        return self.itm_head(text[:, 0])


def make_pairs(text_lens, img_lens, L=7, P=6, vocab=50):
    B = len(text_lens)
    ids = torch.zeros(B, L, dtype=torch.long)
    tm = torch.zeros(B, L, dtype=torch.bool)
    patches = torch.zeros(B, P, 12)
    im = torch.zeros(B, P, dtype=torch.bool)
    for i in range(B):
        ids[i, : text_lens[i]] = torch.randint(1, vocab, (text_lens[i],))
        tm[i, : text_lens[i]] = True
        patches[i, : img_lens[i]] = torch.randn(img_lens[i], 12)
        im[i, : img_lens[i]] = True
    return ids, tm, patches, im


def run():
    torch.manual_seed(0)
    model = ITMModel()
    opt = torch.optim.AdamW(model.parameters(), lr=1e-4)
    ids, tm, patches, im = make_pairs([7, 3, 5, 2], [6, 4, 2, 5])
    labels = torch.tensor([1, 0, 1, 0])
    model.train()
    loss = F.cross_entropy(model(ids, tm, patches, im), labels)
    opt.zero_grad()
    loss.backward()
    grads = [p.grad.detach().clone() if p.grad is not None else torch.zeros_like(p) for p in model.parameters()]
    opt.step()
    model.eval()
    with torch.no_grad():
        ids2, tm2, p2, im2 = make_pairs([4, 6, 2, 7], [3, 6, 5, 1])
        itm = model(ids2, tm2, p2, im2).softmax(-1)
    return [loss.detach(), *grads, itm]
