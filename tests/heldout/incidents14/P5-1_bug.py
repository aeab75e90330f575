"""Transformer for ASR in the SpeechBrain style (decode step used by beam search)."""
import torch
from torch import nn


def length_to_mask(length, max_len=None, dtype=None, device=None):
    """Creates a binary mask for each sequence (1 = valid frame)."""
    if max_len is None:
        max_len = length.max().long().item()
    mask = torch.arange(max_len, device=length.device, dtype=length.dtype).expand(
        len(length), max_len
    ) < length.unsqueeze(1)
    return torch.as_tensor(mask, dtype=dtype or length.dtype, device=device or length.device)


def get_lookahead_mask(padded_input):
    """Creates a binary mask for each sequence which masks future frames."""
    seq_len = padded_input.shape[1]
    mask = (torch.triu(torch.ones((seq_len, seq_len), device=padded_input.device)) == 1).transpose(0, 1)
    mask = mask.float().masked_fill(mask == 0, float("-inf")).masked_fill(mask == 1, float(0.0))
    return mask.detach().to(padded_input.device)


class TransformerASR(nn.Module):
    def __init__(self, tgt_vocab=20, d_model=8, nhead=2, num_decoder_layers=1, d_ffn=16, dropout=0.0):
        super().__init__()
        self.custom_tgt_module = nn.Embedding(tgt_vocab, d_model)
        layer = nn.TransformerDecoderLayer(d_model, nhead, d_ffn, dropout, batch_first=True)
        self.decoder = nn.TransformerDecoder(layer, num_decoder_layers)

    @torch.no_grad()
    def decode(self, tgt, encoder_out, enc_len=None):
        """This method implements a decoding step for the transformer model.

        Arguments
        ---------
        tgt : torch.Tensor
            The sequence to the decoder.
        encoder_out : torch.Tensor
            Hidden output of the encoder.
        enc_len : torch.LongTensor
            The actual length of encoder states.
        """
        tgt_mask = get_lookahead_mask(tgt)
        src_key_padding_mask = None
        if enc_len is not None:
            src_key_padding_mask = (1 - length_to_mask(enc_len)).bool()

        tgt = self.custom_tgt_module(tgt)
        prediction = self.decoder(
            tgt,
            encoder_out,
            tgt_mask=tgt_mask,
            memory_key_padding_mask=None,  # BUG
        )
        return prediction


if __name__ == "__main__":
    torch.manual_seed(0)
    model = TransformerASR().eval()
    enc_out = torch.randn(2, 7, 8)
    enc_len = torch.tensor([7, 4])
    enc_out[1, 4:] = torch.randn(3, 8) * 3
    hyps = torch.tensor([[1, 5, 6], [1, 8, 9]])
    batched = model.decode(hyps, enc_out, enc_len)
    alone = model.decode(hyps[1:], enc_out[1:, :4], enc_len[1:])
    print(f"utterance-2 decoder output, batched vs alone: max diff {(batched[1] - alone[0]).abs().max().item():.4f}")
