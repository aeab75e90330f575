# EXPECT: bug src_key_padding_mask built as tokens != pad (True = real token) for nn.TransformerEncoder, where True means ignore; real tokens are masked and padding is attended
"""Intent classifier: batch_first nn.TransformerEncoder over padded utterances,
CLS-token pooling (Lightning-module-like training_step / predict_step).
"""
import torch
import torch.nn as nn
import torch.nn.functional as F

PAD, CLS = 0, 1


class IntentClassifier(nn.Module):
    def __init__(self, vocab_size=45, d_model=32, nhead=4, num_layers=2, num_intents=5, dropout=0.1, max_len=24):
        super().__init__()
        self.tok = nn.Embedding(vocab_size, d_model, padding_idx=PAD)
        self.pos = nn.Embedding(max_len, d_model)
        enc_layer = nn.TransformerEncoderLayer(d_model, nhead, dim_feedforward=4 * d_model, dropout=dropout,
                                               activation="gelu", batch_first=True)
        self.encoder = nn.TransformerEncoder(enc_layer, num_layers)
        self.head = nn.Sequential(nn.Dropout(dropout), nn.Linear(d_model, num_intents))

    def forward(self, tokens):
        attention_mask = tokens != PAD
        x = self.tok(tokens) + self.pos(torch.arange(tokens.size(1)))[None]
        x = self.encoder(x, src_key_padding_mask=attention_mask)  # BUG-SITE
        return self.head(x[:, 0])

    def training_step(self, batch):
        tokens, labels = batch
        return F.cross_entropy(self(tokens), labels, label_smoothing=0.1)

    def predict_step(self, batch):
        tokens, _ = batch
        return self(tokens).softmax(-1)


def make_batch(lengths, pad_to, vocab_size=45):
    tokens = torch.full((len(lengths), pad_to), PAD, dtype=torch.long)
    for i, n in enumerate(lengths):
        tokens[i, 0] = CLS
        tokens[i, 1:n] = torch.randint(2, vocab_size, (n - 1,))
    return tokens


def run():
    torch.manual_seed(0)
    model = IntentClassifier()
    optimizer = torch.optim.AdamW(model.parameters(), lr=1e-3)
    batch = (make_batch([9, 5, 7, 4], pad_to=12), torch.tensor([0, 2, 4, 1]))

    model.train()
    loss = model.training_step(batch)
    optimizer.zero_grad()
    loss.backward()
    grads = [p.grad.detach().clone() for p in model.parameters()]
    optimizer.step()

    model.eval()
    with torch.no_grad():
        probs = model.predict_step((make_batch([6, 10, 3], pad_to=12), None))
    return [loss.detach(), *grads, probs]
