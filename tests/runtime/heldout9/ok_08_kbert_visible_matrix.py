# EXPECT: clean
"""Imitates K-BERT (autoliuweijie/K-BERT): knowledge triples are injected into the
sentence tree, a per-sample visible matrix says which tokens may see each other,
and the matrix is turned into a 3-D nn.MultiheadAttention attn_mask with
repeat_interleave over heads (index b * num_heads + h). Padding tokens can see
only themselves so that no row is empty."""
import torch
import torch.nn as nn
import torch.nn.functional as F


def build_sentence_tree(sent, injections, max_len, pad_id=0):
    """sent: list of token ids; injections: {position_in_sent: [knowledge token ids]}.
    Returns tokens, soft positions and the visible matrix (1 = visible)."""
    tokens, soft_pos, branch = [], [], []
    for i, tok in enumerate(sent):
        tokens.append(tok)
        soft_pos.append(i)
        branch.append(("trunk", i))
        for j, ktok in enumerate(injections.get(i, [])):
            tokens.append(ktok)
            soft_pos.append(i + 1 + j)
            branch.append(("branch", i))
    n = len(tokens)
    visible = torch.zeros(max_len, max_len, dtype=torch.long)
    for a in range(n):
        for b in range(n):
            ka, ia = branch[a]
            kb, ib = branch[b]
            if ka == "trunk" and kb == "trunk":
                visible[a, b] = 1
            elif ia == ib:  # a knowledge branch sees its entity and itself
                visible[a, b] = 1
    for p in range(n, max_len):
        visible[p, p] = 1
    tok_t = torch.full((max_len,), pad_id, dtype=torch.long)
    pos_t = torch.zeros(max_len, dtype=torch.long)
    tok_t[:n] = torch.tensor(tokens)
    pos_t[:n] = torch.tensor(soft_pos)
    return tok_t, pos_t, visible, n


class KBertLayer(nn.Module):
    def __init__(self, d, heads, dropout):
        super().__init__()
        self.self_attn = nn.MultiheadAttention(d, heads, dropout=dropout, batch_first=True)
        self.ln1 = nn.LayerNorm(d)
        self.ff = nn.Sequential(nn.Linear(d, 2 * d), nn.GELU(), nn.Linear(2 * d, d))
        self.ln2 = nn.LayerNorm(d)
        self.drop = nn.Dropout(dropout)

    def forward(self, x, attn_mask):
        a, _ = self.self_attn(x, x, x, attn_mask=attn_mask)
        x = self.ln1(x + self.drop(a))
        return self.ln2(x + self.drop(self.ff(x)))


class KBertClassifier(nn.Module):
    def __init__(self, vocab=60, d=32, heads=4, layers=2, num_labels=2, dropout=0.1):
        super().__init__()
        self.heads = heads
        self.word = nn.Embedding(vocab, d, padding_idx=0)
        self.pos = nn.Embedding(20, d)
        self.layers = nn.ModuleList([KBertLayer(d, heads, dropout) for _ in range(layers)])
        self.out = nn.Linear(d, num_labels)

    def forward(self, tokens, soft_pos, visible, lengths):
        x = self.word(tokens) + self.pos(soft_pos)
        attn_mask = (visible == 0).repeat_interleave(self.heads, dim=0)  # [B * H, L, L], True = blocked
        for layer in self.layers:
            x = layer(x, attn_mask)
        keep = (torch.arange(tokens.size(1))[None] < lengths[:, None]).unsqueeze(-1).float()
        return self.out((x * keep).sum(1) / keep.sum(1))


def make_batch(g, specs, max_len=14):
    toks, poss, vis, lens = [], [], [], []
    for n, inj in specs:
        sent = torch.randint(1, 50, (n,), generator=g).tolist()
        injections = {p: torch.randint(50, 60, (k,), generator=g).tolist() for p, k in inj}
        t, p, v, L = build_sentence_tree(sent, injections, max_len)
        toks.append(t), poss.append(p), vis.append(v), lens.append(L)
    return torch.stack(toks), torch.stack(poss), torch.stack(vis), torch.tensor(lens)


def run():
    torch.manual_seed(0)
    model = KBertClassifier()
    opt = torch.optim.Adam(model.parameters(), lr=1e-3)
    g = torch.Generator().manual_seed(137)
    batch = make_batch(g, [(6, [(1, 2), (4, 1)]), (4, [(0, 3)]), (8, []), (5, [(2, 2), (3, 2)])])
    labels = torch.tensor([1, 0, 1, 0])

    model.train()
    loss = F.cross_entropy(model(*batch), labels)
    opt.zero_grad()
    loss.backward()
    opt.step()
    grads = [p.grad.detach().clone() for p in model.parameters()]

    model.eval()
    with torch.no_grad():
        probs = model(*make_batch(g, [(3, [(0, 2)]), (7, [(5, 3)]), (6, [(1, 1), (2, 1)])])).softmax(-1)
    return [loss.detach(), *grads, probs]
