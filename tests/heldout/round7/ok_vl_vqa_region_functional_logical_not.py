"""Bottom-up/top-down style VQA fusion written functionally: detector region
features (a variable number of boxes per image) are attended by the question
tokens through F.multi_head_attention_forward with parameters kept in a dict.
Region validity is a keep mask everywhere (pooling uses it too); the functional
attention gets its logical_not."""
import math

import torch
import torch.nn.functional as F

D, HEADS, MAX_BOXES = 32, 4, 6


def init_params(d=D, seed=0):
    g = torch.Generator().manual_seed(seed)
    return {
        "in_proj_weight": torch.randn(3 * d, d, generator=g) / math.sqrt(d),
        "in_proj_bias": torch.zeros(3 * d),
        "out_proj_weight": torch.randn(d, d, generator=g) / math.sqrt(d),
        "out_proj_bias": torch.zeros(d),
        "cls": torch.randn(d, 3, generator=g) / math.sqrt(d),
    }


def region_validity(num_boxes, max_boxes=MAX_BOXES):
    return torch.arange(max_boxes)[None, :] < num_boxes[:, None]


def attend_regions(params, question, regions, region_ok, training=False):
    # question: (Lq, B, D), regions: (R, B, D), both sequence-first
    out, weights = F.multi_head_attention_forward(
        question, regions, regions, D, HEADS,
        params["in_proj_weight"], params["in_proj_bias"], None, None, False, 0.0,
        params["out_proj_weight"], params["out_proj_bias"],
        training=training,
        key_padding_mask=region_ok.logical_not(),
        need_weights=True,
    )
    return out, weights


def answer_logits(params, question_tokens, region_feats, num_boxes):
    q = question_tokens.transpose(0, 1)
    r = region_feats.transpose(0, 1)
    region_ok = region_validity(num_boxes, region_feats.size(1))
    fused, _ = attend_regions(params, q, r, region_ok)
    region_summary = (region_feats * region_ok[..., None]).sum(1) / region_ok.sum(1, keepdim=True)
    return (fused.mean(0) + 0.1 * region_summary) @ params["cls"]


if __name__ == "__main__":
    torch.manual_seed(0)
    params = init_params()
    question = torch.randn(2, 5, D)
    regions = torch.randn(2, MAX_BOXES, D)
    num_boxes = torch.tensor([6, 3])
    logits = answer_logits(params, question, regions, num_boxes)
    assert not torch.isnan(logits).any()
    r2 = regions.clone()
    r2[1, 3:] = 7.0  # only the padded box slots of image 1
    moved = (answer_logits(params, question, r2, num_boxes)[1] - logits[1]).abs().max().item()
    alone = answer_logits(params, question[1:], regions[1:, :3], num_boxes[1:])
    print("moved by padded box slots:", moved)
    assert moved < 1e-5
    assert torch.allclose(alone[0], logits[1], atol=1e-5)
    print("ok: padded boxes ignored, no NaN")
