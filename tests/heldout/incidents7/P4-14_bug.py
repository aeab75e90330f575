"""Block-diffusion LM attention masks in the style of kuleshov-group/bd3lms (models/dit.py):
the noisy and clean halves of the sequence are concatenated and a block-diffusion mask_mod
is compiled into a FlexAttention BlockMask."""
from functools import partial
import torch
import torch.nn as nn
from torch.nn.attention.flex_attention import create_block_mask, flex_attention


def block_diff_mask(b, h, q_idx, kv_idx, block_size=None, n=None):
    x0_flag_q = q_idx >= n
    x0_flag_kv = kv_idx >= n
    block_q = torch.where(x0_flag_q, (q_idx - n) // block_size, q_idx // block_size)
    block_kv = torch.where(x0_flag_kv, (kv_idx - n) // block_size, kv_idx // block_size)
    block_diagonal = (block_q == block_kv) & (x0_flag_q == x0_flag_kv)
    offset_block_causal = (block_q > block_kv) & x0_flag_kv & ~x0_flag_q
    block_causal = (block_q >= block_kv) & x0_flag_kv & x0_flag_q
    return block_diagonal | offset_block_causal | block_causal


class DITBackbone(nn.Module):
    def __init__(self, vocab=50, dim=32, heads=4, seqlen=16, block_size=4):
        super().__init__()
        self.heads = heads
        self.embed = nn.Embedding(vocab + 1, dim)
        self.qkv = nn.Linear(dim, 3 * dim)
        self.out = nn.Linear(dim, dim)
        self.head = nn.Linear(dim, vocab)
        self.gen_mask(seqlen, block_size)

    def gen_mask(self, seqlen, block_size):
        mask_mod = partial(block_diff_mask, block_size=block_size, n=seqlen)
        self.block_diff_mask = create_block_mask(mask_mod, B=None, H=None, Q_LEN=seqlen * 2, KV_LEN=seqlen * 2, device="cpu")  # BUG

    def forward(self, xt, x0):
        x = self.embed(torch.cat([xt, x0], dim=1))
        B, L, D = x.shape
        q, k, v = self.qkv(x).view(B, L, 3, self.heads, D // self.heads).permute(2, 0, 3, 1, 4)
        y = flex_attention(q, k, v, block_mask=self.block_diff_mask)  # BUG
        y = self.out(y.transpose(1, 2).reshape(B, L, D))
        return self.head(y[:, : xt.shape[1]])


def q_xt(x0, mask_index, p):
    move = torch.rand(x0.shape) < p
    return torch.where(move, torch.full_like(x0, mask_index), x0)


if __name__ == "__main__":
    import warnings
    warnings.filterwarnings("ignore", message="flex_attention called without torch.compile")
    torch.manual_seed(0)
    vocab, seqlen = 50, 16
    model = DITBackbone(vocab=vocab, seqlen=seqlen).eval()
    x0 = torch.randint(0, vocab, (2, seqlen))
    xt = q_xt(x0, mask_index=vocab, p=0.5)
    with torch.no_grad():
        logits = model(xt, x0)
        masked = xt == vocab
        loss = nn.functional.cross_entropy(logits[masked], x0[masked])
    print("diffusion nll on masked tokens", loss.item())
