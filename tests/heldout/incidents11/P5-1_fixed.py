import torch
import torch.nn as nn


def length_to_mask(length, max_len=None, dtype=None, device=None):
    assert len(length.shape) == 1
    if max_len is None:
        max_len = length.max().long().item()
    mask = torch.arange(max_len, device=length.device, dtype=length.dtype).expand(len(length), max_len) < length.unsqueeze(1)
    if dtype is None:
        dtype = length.dtype
    return torch.as_tensor(mask, dtype=dtype, device=device)


def get_lookahead_mask(padded_input):
    seq_len = padded_input.shape[1]
    mask = (torch.triu(torch.ones((seq_len, seq_len), device=padded_input.device)) == 1).transpose(0, 1)
    return mask.float().masked_fill(mask == 0, float("-inf")).masked_fill(mask == 1, float(0.0)).detach()


def get_key_padding_mask(padded_input, pad_idx):
    return padded_input.eq(pad_idx)


class TransformerASR(nn.Module):
    def __init__(self, tgt_vocab=30, input_size=20, d_model=32, nhead=4, num_encoder_layers=2, num_decoder_layers=2):
        super().__init__()
        self.custom_src_module = nn.Linear(input_size, d_model)
        self.custom_tgt_module = nn.Embedding(tgt_vocab, d_model)
        self.encoder = nn.TransformerEncoder(nn.TransformerEncoderLayer(d_model, nhead, 64, 0.0, batch_first=True), num_encoder_layers, enable_nested_tensor=False)
        self.decoder = nn.TransformerDecoder(nn.TransformerDecoderLayer(d_model, nhead, 64, 0.0, batch_first=True), num_decoder_layers)
        self.d_model = d_model

    def make_src_masks(self, src, wav_len):
        src_key_padding_mask = None
        if wav_len is not None:
            abs_len = torch.round(wav_len * src.shape[1])
            src_key_padding_mask = ~length_to_mask(abs_len, max_len=src.shape[1]).bool()
        return src_key_padding_mask

    def encode(self, src, wav_len=None):
        src_key_padding_mask = self.make_src_masks(src, wav_len)
        src = self.custom_src_module(src)
        return self.encoder(src, src_key_padding_mask=src_key_padding_mask)

    @torch.no_grad()
    def decode(self, tgt, encoder_out, enc_len=None):
        tgt_mask = get_lookahead_mask(tgt)
        src_key_padding_mask = None
        if enc_len is not None:
            src_key_padding_mask = (1 - length_to_mask(enc_len, max_len=encoder_out.shape[1])).bool()
        tgt = self.custom_tgt_module(tgt)
        prediction = self.decoder(tgt, encoder_out, tgt_mask=tgt_mask, memory_key_padding_mask=src_key_padding_mask)
        return prediction


class S2STransformerBeamSearcher:
    def __init__(self, model, bos_index=1):
        self.model = model
        self.bos_index = bos_index

    def step(self, memory, enc_states, enc_lens):
        tokens = memory
        return self.model.decode(tokens, enc_states, enc_lens)[:, -1]


if __name__ == "__main__":
    torch.manual_seed(0)
    asr = TransformerASR().eval()
    feats = torch.randn(2, 12, 20)
    wav_lens = torch.tensor([1.0, 0.5])
    with torch.no_grad():
        enc = asr.encode(feats, wav_lens)
    enc_lens = torch.round(wav_lens * enc.shape[1]).long()
    searcher = S2STransformerBeamSearcher(asr)
    hyps = torch.tensor([[1, 7, 4], [1, 9, 2]])
    a = searcher.step(hyps, enc, enc_lens)
    enc_noisy = enc.clone()
    enc_noisy[1, 6:] = torch.randn(6, enc.shape[-1]) * 3
    b = searcher.step(hyps, enc_noisy, enc_lens)
    print(f"decoder step change when padded encoder frames change: {(a[1] - b[1]).abs().max().item():.3e}")
