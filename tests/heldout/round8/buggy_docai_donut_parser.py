"""Donut-style OCR-free document parser.

A small patch encoder turns the page image into visual memory; a BART-like
text decoder (``nn.TransformerDecoder``) is trained with teacher forcing to emit
the JSON-ish token sequence ``<s_menu><s_name> ... </s_menu>``.
"""
import torch
import torch.nn as nn
import torch.nn.functional as F


class PatchEncoder(nn.Module):
    def __init__(self, dim=64, patch=8, layers=1):
        super().__init__()
        self.proj = nn.Conv2d(3, dim, patch, stride=patch)
        enc = nn.TransformerEncoderLayer(dim, 4, 2 * dim, dropout=0.0, batch_first=True)
        self.enc = nn.TransformerEncoder(enc, layers, enable_nested_tensor=False)

    def forward(self, img):
        x = self.proj(img).flatten(2).transpose(1, 2)
        return self.enc(x)


class DonutDecoder(nn.Module):
    def __init__(self, vocab=300, dim=64, heads=4, layers=2, max_len=64, pad_id=1):
        super().__init__()
        self.pad_id = pad_id
        self.tok = nn.Embedding(vocab, dim, padding_idx=pad_id)
        self.pos = nn.Embedding(max_len, dim)
        layer = nn.TransformerDecoderLayer(dim, heads, 4 * dim, dropout=0.0, batch_first=True)
        self.decoder = nn.TransformerDecoder(layer, layers)
        self.lm_head = nn.Linear(dim, vocab, bias=False)

    def forward(self, prompt_ids, memory):
        T = prompt_ids.size(1)
        h = self.tok(prompt_ids) + self.pos(torch.arange(T, device=prompt_ids.device))
        h = self.decoder(  # expect: ML401
            h,
            memory,
            tgt_key_padding_mask=prompt_ids.eq(self.pad_id),
        )
        return self.lm_head(h)


class DonutModel(nn.Module):
    def __init__(self):
        super().__init__()
        self.encoder = PatchEncoder()
        self.decoder = DonutDecoder()

    def forward(self, pixel_values, decoder_input_ids, labels=None):
        memory = self.encoder(pixel_values)
        logits = self.decoder(decoder_input_ids, memory)
        if labels is None:
            return logits
        loss = F.cross_entropy(logits.flatten(0, 1), labels.flatten(), ignore_index=-100)
        return loss, logits


def shift_tokens_right(seq, start_id=2, pad_id=1):
    dec_in = seq.new_full(seq.shape, pad_id)
    dec_in[:, 0] = start_id
    dec_in[:, 1:] = seq[:, :-1]
    labels = seq.masked_fill(seq == pad_id, -100)
    return dec_in, labels


if __name__ == "__main__":
    torch.manual_seed(0)
    model = DonutModel().eval()
    img = torch.randn(2, 3, 32, 32)
    seq = torch.randint(3, 300, (2, 10))
    dec_in, labels = shift_tokens_right(seq)
    with torch.no_grad():
        loss, logits = model(img, dec_in, labels)
        dec_in2 = dec_in.clone()
        dec_in2[:, 6:] = torch.randint(3, 300, (2, 4))  # change only "future" tokens
        logits2 = model(img, dec_in2)
    leak = (logits[:, :6] - logits2[:, :6]).abs().max().item()
    print("loss", float(loss), "| change in logits at positions < 6 after editing positions >= 6:", leak)
    assert leak > 1e-4
    print("FAILURE SHOWN: teacher-forced decoder sees future tokens")
