import torch
import torch.nn as nn

from .data import PAIRS, encode_batch
from .masks import PAD_IDX, create_mask
from .model import Seq2SeqTransformer
from .translate import greedy_decode


def train_step(model, optimizer, loss_fn, src, tgt):
    tgt_input = tgt[:-1, :]
    src_mask, tgt_mask, src_padding_mask, tgt_padding_mask = create_mask(src, tgt_input)
    logits = model(src, tgt_input, src_mask, tgt_mask, None, src_padding_mask, tgt_padding_mask, tgt_padding_mask)  # BUG: memory_key_padding_mask gets the target padding mask instead of the source one
    optimizer.zero_grad()
    tgt_out = tgt[1:, :]
    loss = loss_fn(logits.reshape(-1, logits.shape[-1]), tgt_out.reshape(-1))
    loss.backward()
    optimizer.step()
    return loss.item()


def main():
    torch.manual_seed(0)
    src_vocab, tgt_vocab = {}, {}
    src = encode_batch([p[0] for p in PAIRS], src_vocab, max_len=9)
    tgt = encode_batch([p[1] for p in PAIRS], tgt_vocab, max_len=10)
    model = Seq2SeqTransformer(2, 2, 32, 4, 64, 64)
    opt = torch.optim.Adam(model.parameters(), lr=1e-3)
    loss_fn = nn.CrossEntropyLoss(ignore_index=PAD_IDX)
    losses = [train_step(model, opt, loss_fn, src, tgt) for _ in range(3)]
    model.eval()
    with torch.no_grad():
        ys = greedy_decode(model, src, 6)
    print("losses", [round(x, 5) for x in losses])
    print("decoded", ys.t().tolist())


if __name__ == "__main__":
    main()
