import torch

from . import PackedLM, PackedLMConfig, pack_documents


def main() -> None:
    torch.manual_seed(0)
    cfg = PackedLMConfig()
    docs = [torch.randint(1, cfg.vocab, (n,)).tolist() for n in (40, 25, 70, 18, 30)]
    tokens, doc_ids = pack_documents(docs, cfg.row_len, rows=3)
    model = PackedLM(cfg).eval()
    print("packed validation nll", round(model.packed_nll(tokens, doc_ids).item(), 4))


if __name__ == "__main__":
    main()
