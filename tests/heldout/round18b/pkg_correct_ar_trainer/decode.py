import torch


@torch.no_grad()
def continue_drawing(net, prefix, n):
    net.eval()
    out = prefix
    for _ in range(n):
        nxt = net(out, causal=True)[:, -1].argmax(-1, keepdim=True)
        out = torch.cat([out, nxt], dim=1)
    return out[:, prefix.size(1):]
