from typing import Dict, List

import torch
import torch.nn.functional as F


def frames_to_batch(clips: List[torch.Tensor]) -> Dict[str, torch.Tensor]:
    """clips[i]: (T_i, n_mels). Returns padded frames and a (B, T) padding mask (True = pad)."""
    longest = max(c.size(0) for c in clips)
    frames = torch.stack([F.pad(c, (0, 0, 0, longest - c.size(0))) for c in clips])
    lengths = torch.tensor([c.size(0) for c in clips])
    frame_pad = torch.arange(longest)[None, :] >= lengths[:, None]
    return {"frames": frames, "frame_pad": frame_pad, "lengths": lengths}
