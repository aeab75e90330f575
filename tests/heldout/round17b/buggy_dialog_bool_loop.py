"""Dialogue-act tagging: encode each utterance, then the sequence of utterances."""
import torch
from torch import nn


class MaskedSelfAttention(nn.Module):
    def __init__(self, dim, heads):
        super().__init__()
        self.attn = nn.MultiheadAttention(dim, heads, batch_first=True)
        self.norm = nn.LayerNorm(dim)

    def forward(self, x, attn_mask=None, key_padding_mask=None):
        h, _ = self.attn(x, x, x, attn_mask=attn_mask, key_padding_mask=key_padding_mask,
                         need_weights=False)
        return self.norm(x + h)


class DialogActTagger(nn.Module):
    def __init__(self, vocab=3000, dim=64, heads=4, n_acts=9):
        super().__init__()
        self.emb = nn.Embedding(vocab, dim)
        self.words = MaskedSelfAttention(dim, heads)
        self.context = MaskedSelfAttention(dim, heads)
        self.tag = nn.Linear(dim, n_acts)

    def encode_utterances(self, tokens, lengths):
        n_utt, n_tok = tokens.shape
        real = torch.zeros(n_utt, n_tok, dtype=torch.bool, device=tokens.device)
        for i, n in enumerate(lengths.tolist()):
            real[i, :n] = True
        h = self.words(self.emb(tokens), key_padding_mask=real)  # expect: ML101
        return (h * real.unsqueeze(-1)).sum(1) / real.sum(1, keepdim=True)

    def forward(self, tokens, tok_lengths, turns):
        """tokens: (total_utterances, T); turns: utterances per dialogue."""
        pooled = self.encode_utterances(tokens, tok_lengths)
        dialogues = torch.nn.utils.rnn.pad_sequence(pooled.split(turns), batch_first=True)
        n_turns = dialogues.size(1)
        turn_pad = torch.arange(n_turns)[None, :] >= torch.tensor(turns)[:, None]
        u = self.context(dialogues, turn_pad)  # expect: ML501
        return self.tag(u)


if __name__ == "__main__":
    torch.manual_seed(0)
    tok_lengths = torch.tensor([5, 3, 7, 2, 6, 4, 4])
    tokens = torch.randint(1, 3000, (7, 7))
    for i, n in enumerate(tok_lengths.tolist()):
        tokens[i, n:] = 0
    model = DialogActTagger()
    print(model(tokens, tok_lengths, [3, 2, 2]).argmax(-1))
