import torch

from .reranker import PackedReranker


def pack(query_len, passage_lens, total):
    seg = [0] * query_len
    for k, n in enumerate(passage_lens, start=1):
        seg += [k] * n
    valid = [True] * len(seg) + [False] * (total - len(seg))
    seg += [0] * (total - len(seg))
    return seg, valid


def main():
    torch.manual_seed(0)
    total = 64
    rows = [pack(8, [14, 20, 9], total), pack(6, [18, 18], total), pack(10, [12, 12, 12, 12], total)]
    segment_ids = torch.tensor([r[0] for r in rows])
    valid = torch.tensor([r[1] for r in rows])
    input_ids = torch.randint(1, 30000, segment_ids.shape) * valid
    model = PackedReranker().eval()
    with torch.no_grad():
        scores = model(input_ids, segment_ids, valid)
    print("passage scores", [round(s, 3) for s in scores.tolist()])


if __name__ == "__main__":
    main()
