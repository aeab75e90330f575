"""Protein language model fine-tuning loop (mixed precision). Residue attention is hand-written
with einsum so the attention maps can be exported for contact prediction."""
import torch
import torch.nn as nn
import torch.nn.functional as F

MASK_VALUE = torch.finfo(torch.float32).min  # expect: ML205
AA = "ACDEFGHIKLMNPQRSTVWY"


class ResidueAttention(nn.Module):
    def __init__(self, dim=128, heads=8):
        super().__init__()
        self.heads, self.scale = heads, (dim // heads) ** -0.5
        self.qkv = nn.Linear(dim, 3 * dim)
        self.out = nn.Linear(dim, dim)

    def forward(self, x, residue_mask):
        B, L, _ = x.shape
        q, k, v = self.qkv(x).view(B, L, 3, self.heads, -1).unbind(2)
        logits = torch.einsum("bihd,bjhd->bhij", q, k) * self.scale
        logits = logits.masked_fill(~residue_mask[:, None, None, :], MASK_VALUE)
        attn = logits.softmax(-1)
        return self.out(torch.einsum("bhij,bjhd->bihd", attn, v).reshape(B, L, -1)), attn


class ContactHead(nn.Module):
    def __init__(self, heads=8):
        super().__init__()
        self.lin = nn.Linear(heads, 1)

    def forward(self, attn):
        sym = attn + attn.transpose(-1, -2)
        return self.lin(sym.permute(0, 2, 3, 1)).squeeze(-1)


def train_step(attn_layer, head, embed, batch, opt, scaler):
    tokens, residue_mask, contacts = batch
    with torch.autocast(device_type="cuda", dtype=torch.float16):
        x = embed(tokens)
        _, attn = attn_layer(x, residue_mask)
        logits = head(attn)
        loss = F.binary_cross_entropy_with_logits(logits.float(), contacts)
    opt.zero_grad()
    scaler.scale(loss).backward()
    scaler.step(opt)
    scaler.update()
    return loss.item()


if __name__ == "__main__" and torch.cuda.is_available():
    embed = nn.Embedding(len(AA), 128).cuda()
    layer, head = ResidueAttention().cuda(), ContactHead().cuda()
    opt = torch.optim.AdamW([*embed.parameters(), *layer.parameters(), *head.parameters()])
    tokens = torch.randint(0, 20, (2, 64), device="cuda")
    rmask = torch.ones(2, 64, dtype=torch.bool, device="cuda")
    rmask[1, 50:] = False
    contacts = (torch.rand(2, 64, 64, device="cuda") > 0.9).float()
    print(train_step(layer, head, embed, (tokens, rmask, contacts), opt, torch.cuda.amp.GradScaler()))
