"""Dialogue-act tagger: utterance encoder + causal context model over a conversation."""
import torch
import torch.nn as nn

PAD = 0
ACTS = ["statement", "question", "backchannel", "agree", "reject", "other"]


class ContextLayer(nn.Module):
    def __init__(self, d_model, nhead, dropout=0.1):
        super().__init__()
        self.self_attn = nn.MultiheadAttention(d_model, nhead, dropout=dropout, batch_first=True)
        self.norm1 = nn.LayerNorm(d_model)
        self.ff = nn.Sequential(nn.Linear(d_model, 2 * d_model), nn.ReLU(), nn.Linear(2 * d_model, d_model))
        self.norm2 = nn.LayerNorm(d_model)

    def forward(self, x, attn_mask, key_padding_mask):
        h = self.norm1(x)
        out, _ = self.self_attn(h, h, h, key_padding_mask, False, attn_mask)
        x = x + out
        return x + self.ff(self.norm2(x))


class UtteranceEncoder(nn.Module):
    def __init__(self, vocab, d_model, nhead):
        super().__init__()
        self.embed = nn.Embedding(vocab, d_model, padding_idx=PAD)
        self.attn = nn.MultiheadAttention(d_model, nhead, batch_first=True)

    def forward(self, tokens):                  # (U, W) word ids of U utterances
        x = self.embed(tokens)
        pad = tokens == 0
        pad[:, 0] = False                       # empty utterances still expose their first slot
        h, _ = self.attn(x, x, x, pad)
        keep = (~pad).unsqueeze(-1).float()
        return (h * keep).sum(1) / keep.sum(1)


class DialogueActTagger(nn.Module):
    def __init__(self, vocab=3000, d_model=64, nhead=4, layers=2):
        super().__init__()
        self.utt = UtteranceEncoder(vocab, d_model, nhead)
        self.layers = nn.ModuleList(ContextLayer(d_model, nhead) for _ in range(layers))
        self.out = nn.Linear(d_model, len(ACTS))

    def forward(self, words, n_utts):
        """words: (B, U, W); n_utts: (B,) number of real utterances per dialogue."""
        B, U, W = words.shape
        x = self.utt(words.view(B * U, W)).view(B, U, -1)
        turn_pad = torch.arange(U)[None, :] >= n_utts[:, None]
        causal = torch.triu(torch.ones(U, U, dtype=torch.bool), diagonal=1)
        for layer in self.layers:
            x = layer(x, causal, turn_pad)
        return self.out(x)


if __name__ == "__main__":
    torch.manual_seed(0)
    words = torch.randint(1, 3000, (2, 5, 7))
    words[:, :, 5:] = PAD
    words[1, 3:] = PAD                          # dialogue 2 has three utterances
    n_utts = torch.tensor([5, 3])
    model = DialogueActTagger()
    logits = model(words, n_utts)
    print([[ACTS[a] for a in row] for row in logits.argmax(-1)[:, :3].tolist()])
