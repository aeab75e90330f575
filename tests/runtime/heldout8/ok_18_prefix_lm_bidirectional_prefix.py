# EXPECT: clean
"""PaliGemma/UL2-style prefix LM: the prefix (prompt) is encoded with full
bidirectional attention, the continuation is causal; the loss covers only the
continuation. Batches are right-padded. Every query may see all prefix keys
plus the causal past; padding keys are never visible.
"""
import torch
import torch.nn as nn
import torch.nn.functional as F

PAD = 0


def prefix_lm_mask(prefix_len, lengths, T):
    """(B, 1, T, T) bool, True = may attend."""
    q = torch.arange(T)[None, :, None]
    k = torch.arange(T)[None, None, :]
    causal = k <= q
    bidirectional_prefix = k < prefix_len[:, None, None]
    key_valid = k < lengths[:, None, None]
    return ((causal | bidirectional_prefix) & key_valid).unsqueeze(1)


class Attention(nn.Module):
    def __init__(self, d, n_heads, p):
        super().__init__()
        self.n_heads = n_heads
        self.q = nn.Linear(d, d, bias=False)
        self.kv = nn.Linear(d, 2 * d, bias=False)
        self.o = nn.Linear(d, d, bias=False)
        self.p = p

    def forward(self, x, mask):
        B, T, C = x.shape
        q = self.q(x).view(B, T, self.n_heads, -1).transpose(1, 2)
        k, v = (t.view(B, T, self.n_heads, -1).transpose(1, 2) for t in self.kv(x).chunk(2, dim=-1))
        y = F.scaled_dot_product_attention(q, k, v, attn_mask=mask, dropout_p=self.p if self.training else 0.0)
        return self.o(y.transpose(1, 2).reshape(B, T, C))


class Layer(nn.Module):
    def __init__(self, d, n_heads, p):
        super().__init__()
        self.norm1 = nn.RMSNorm(d)
        self.attn = Attention(d, n_heads, p)
        self.norm2 = nn.RMSNorm(d)
        self.gate = nn.Linear(d, 2 * d, bias=False)
        self.up = nn.Linear(d, 2 * d, bias=False)
        self.down = nn.Linear(2 * d, d, bias=False)
        self.drop = nn.Dropout(p)

    def forward(self, x, mask):
        x = x + self.drop(self.attn(self.norm1(x), mask))
        h = self.norm2(x)
        return x + self.drop(self.down(F.gelu(self.gate(h), approximate="tanh") * self.up(h)))


class PrefixLM(nn.Module):
    def __init__(self, vocab=64, d=32, n_heads=4, n_layers=2, max_len=32, p=0.1):
        super().__init__()
        self.embed = nn.Embedding(vocab, d, padding_idx=PAD)
        self.pos = nn.Embedding(max_len, d)
        self.layers = nn.ModuleList([Layer(d, n_heads, p) for _ in range(n_layers)])
        self.norm = nn.RMSNorm(d)
        self.lm_head = nn.Linear(d, vocab, bias=False)

    def forward(self, tokens, prefix_len, lengths):
        T = tokens.size(1)
        mask = prefix_lm_mask(prefix_len, lengths, T)
        x = self.embed(tokens) + self.pos(torch.arange(T))[None]
        for layer in self.layers:
            x = layer(x, mask)
        return self.lm_head(self.norm(x))


def make_batch(examples, vocab=64):
    T = max(p + s for p, s in examples)
    tokens = torch.full((len(examples), T), PAD, dtype=torch.long)
    labels = torch.full((len(examples), T), -100, dtype=torch.long)
    for i, (p, s) in enumerate(examples):
        seq = torch.randint(1, vocab, (p + s,))
        tokens[i, :p + s] = seq
        labels[i, p:p + s] = seq[p:]  # loss on the continuation only
    prefix_len = torch.tensor([p for p, _ in examples])
    lengths = torch.tensor([p + s for p, s in examples])
    return tokens, labels, prefix_len, lengths


def run():
    torch.manual_seed(0)
    model = PrefixLM()
    optimizer = torch.optim.AdamW(model.parameters(), lr=1e-3)
    tokens, labels, prefix_len, lengths = make_batch([(4, 6), (6, 5), (2, 8), (5, 3)])

    model.train()
    logits = model(tokens, prefix_len, lengths)
    loss = F.cross_entropy(logits[:, :-1].reshape(-1, 64), labels[:, 1:].reshape(-1), ignore_index=-100)
    optimizer.zero_grad()
    loss.backward()
    grads = [p.grad.detach().clone() for p in model.parameters()]
    optimizer.step()

    model.eval()
    with torch.no_grad():
        eval_logits = model(tokens, prefix_len, lengths)
        eval_loss = F.cross_entropy(eval_logits[:, :-1].reshape(-1, 64), labels[:, 1:].reshape(-1), ignore_index=-100)
    return [loss.detach(), *grads, eval_logits, eval_loss]
