import torch


def tube_mask(frame_valid, patches_per_frame, num_heads):
    b, t = frame_valid.shape
    token_valid = frame_valid.repeat_interleave(patches_per_frame, dim=1)
    frame_of = torch.arange(t, device=frame_valid.device).repeat_interleave(patches_per_frame)
    future = frame_of[None, :] > frame_of[:, None]
    blocked = future[None] | ~token_valid[:, None, :]
    return blocked.repeat(num_heads, 1, 1)
