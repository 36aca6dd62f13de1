namespace Kecleon.Runtime.Workloads;

/// <summary>The XDP verdicts, numbered as in enum xdp_action of linux/bpf.h.</summary>
public enum XdpAction : uint
{
    Aborted = 0,
    Drop = 1,
    Pass = 2,
    Tx = 3,
    Redirect = 4,
}
