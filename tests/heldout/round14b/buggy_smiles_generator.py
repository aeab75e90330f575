"""SMILES string generator for de-novo molecule design."""
import re

import torch
import torch.nn as nn
import torch.nn.functional as F

SMILES_REGEX = re.compile(r"(\[[^\]]+]|Br?|Cl?|N|O|S|P|F|I|b|c|n|o|s|p|\(|\)|\.|=|#|-|\+|\\|/|:|~|@|\?|>|\*|\$|%[0-9]{2}|[0-9])")


class SmilesTokenizer:
    def __init__(self, corpus):
        toks = sorted({t for s in corpus for t in SMILES_REGEX.findall(s)})
        self.itos = ["<pad>", "<bos>", "<eos>"] + toks
        self.stoi = {t: i for i, t in enumerate(self.itos)}

    def encode(self, smi):
        return [1] + [self.stoi[t] for t in SMILES_REGEX.findall(smi)] + [2]

    def decode(self, ids):
        out = []
        for i in ids:
            if i == 2:
                break
            if i > 2:
                out.append(self.itos[i])
        return "".join(out)


class SmilesDecoder(nn.Module):
    def __init__(self, vocab_size, d_model=96, nhead=4, num_layers=3, max_len=96, dropout=0.1):
        super().__init__()
        self.max_len = max_len
        self.tok = nn.Embedding(vocab_size, d_model, padding_idx=0)
        self.pos = nn.Embedding(max_len, d_model)
        layer = nn.TransformerEncoderLayer(d_model, nhead, 4 * d_model, dropout, batch_first=True, norm_first=True)
        self.body = nn.TransformerEncoder(layer, num_layers, enable_nested_tensor=False)
        self.head = nn.Linear(d_model, vocab_size)

    def forward(self, tokens, targets=None):
        T = tokens.size(1)
        x = self.tok(tokens) + self.pos(torch.arange(T, device=tokens.device))
        if targets is not None:
            mask = torch.triu(torch.ones(T, T, dtype=torch.bool, device=tokens.device), diagonal=1)
            h = self.body(x, mask=mask, src_key_padding_mask=tokens == 0)
            logits = self.head(h)
            loss = F.cross_entropy(logits.transpose(1, 2), targets, ignore_index=0)
            return logits, loss
        h = self.body(x)  # expect: ML401
        return self.head(h), None

    @torch.no_grad()
    def sample(self, n, max_new_tokens=40, temperature=1.0):
        self.eval()
        idx = torch.ones(n, 1, dtype=torch.long)
        for _ in range(max_new_tokens):
            logits, _ = self(idx[:, -self.max_len:])
            probs = F.softmax(logits[:, -1] / temperature, dim=-1)
            idx = torch.cat([idx, torch.multinomial(probs, 1)], dim=1)
        return idx


CORPUS = ["CCO", "c1ccccc1", "CC(=O)Oc1ccccc1C(=O)O", "CN1C=NC2=C1C(=O)N(C(=O)N2C)C", "O=C(O)CCc1ccccc1",
          "CC(C)Cc1ccc(cc1)C(C)C(=O)O", "C1CCNCC1", "ClC(Cl)Cl"]

if __name__ == "__main__":
    torch.manual_seed(0)
    tokenizer = SmilesTokenizer(CORPUS)
    model = SmilesDecoder(len(tokenizer.itos))
    opt = torch.optim.AdamW(model.parameters(), lr=1e-3)
    batch = nn.utils.rnn.pad_sequence([torch.tensor(tokenizer.encode(s)) for s in CORPUS], batch_first=True)
    for step in range(5):
        model.train()
        _, loss = model(batch[:, :-1], batch[:, 1:])
        opt.zero_grad()
        loss.backward()
        opt.step()
    print("train loss", round(loss.item(), 3))
    print([tokenizer.decode(row.tolist()) for row in model.sample(3, max_new_tokens=12)])
