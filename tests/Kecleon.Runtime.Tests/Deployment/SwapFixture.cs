using Kecleon.Bench.Live;
using Kecleon.Bpf;
using Kecleon.FrontEnd;
using Kecleon.Runtime.Deployment;
using Kecleon.Tests;

namespace Kecleon.Runtime.Tests.Deployment;

/// <summary>The program the swap tests run on a veth: frames of EtherType 0x88b5 carry a key; a hash map says whether
/// the key's frames are sent back (XDP_TX, with the MACs swapped and the key's mark written into the frame), passed to
/// the stack or dropped. Every other frame passes. The map is read-only for the data plane, so Kecleon inlines it.</summary>
internal static class SwapFixture
{
    public const ushort EtherType = 0x88b5;
    public const string ProgramName = "swap_verdict";

    public const string Source = Programs.Prelude + """

        struct action { __u32 verdict; __u32 mark; };

        struct {
            __uint(type, BPF_MAP_TYPE_HASH);
            __uint(max_entries, 64);
            __type(key, __u32);
            __type(value, struct action);
        } actions SEC(".maps");

        SEC("xdp")
        int swap_verdict(struct xdp_md *ctx)
        {
            void *data = (void *)(long)ctx->data, *end = (void *)(long)ctx->data_end;
            struct ethhdr *eth = data;
            __u32 *payload = (__u32 *)(eth + 1);
            if ((void *)(payload + 3) > end || eth->h_proto != bpf_htons(0x88b5))
                return XDP_PASS;
            __u32 key = payload[0];
            struct action *a = bpf_map_lookup_elem(&actions, &key);
            if (!a)
                return XDP_DROP;
            if (a->verdict == XDP_TX) {
                unsigned char tmp[ETH_ALEN];
                __builtin_memcpy(tmp, eth->h_source, ETH_ALEN);
                __builtin_memcpy(eth->h_source, eth->h_dest, ETH_ALEN);
                __builtin_memcpy(eth->h_dest, tmp, ETH_ALEN);
                payload[1] = a->mark;
            }
            return a->verdict;
        }
        """;

    public const string PassSource = Programs.Prelude + """

        SEC("xdp")
        int xdp_pass(struct xdp_md *ctx) { return XDP_PASS; }
        """;

    private static readonly Lazy<ProgramSource> Parsed = new(() => ProgramSource.Read(TestEnvironment.WriteC(Source, "swap_verdict")));
    private static readonly Lazy<byte[]> PassObject = new(() => ProgramSource.Read(TestEnvironment.WriteC(PassSource, "xdp_pass")).BuildBaselineObject());

    public static ProgramSource ProgramSource => Parsed.Value;
    public static byte[] Object => Parsed.Value.BuildBaselineObject();

    /// <summary>Loads the program with its own maps: keys 0..15, verdict TX, PASS or DROP by key % 3 (key 15 has none
    /// and drops as a miss).</summary>
    public static LoadedVariant LoadOriginal()
    {
        var variant = LoadedVariant.Load("original", Object, ProgramName);
        SetActions(variant, shift: 0);
        return variant;
    }

    /// <summary>Keys 0..14 get verdict TX, PASS or DROP by (key + shift) % 3, mark 0x1111 × (key + shift).</summary>
    public static void SetActions(LoadedVariant variant, int shift)
    {
        var actions = variant.Object.Map("actions");
        for (var key = 0u; key < 15; key++)
        {
            var verdict = ((key + shift) % 3) switch { 0 => XdpAction.Tx, 1 => XdpAction.Pass, _ => XdpAction.Drop };
            actions.Update(BitConverter.GetBytes(key), [.. BitConverter.GetBytes((uint)verdict), .. BitConverter.GetBytes(0x1111u * (key + (uint)shift))]);
        }
    }

    /// <summary>Frame <paramref name="sequence"/>: to <paramref name="destinationMac"/>, key sequence % 16, 60 bytes.</summary>
    public static byte[] Frame(int sequence, string destinationMac)
    {
        var frame = new byte[60];
        Convert.FromHexString(destinationMac.Replace(":", "", StringComparison.Ordinal)).CopyTo(frame, 0);
        byte[] source = [0x02, 0x00, 0x00, 0x00, 0x00, 0x01];
        source.CopyTo(frame, 6);
        frame[12] = EtherType >> 8;
        frame[13] = EtherType & 0xff;
        BitConverter.GetBytes((uint)(sequence % 16)).CopyTo(frame, 14);
        BitConverter.GetBytes((uint)sequence).CopyTo(frame, 22);
        return frame;
    }

    public static VethPair CreatePairWithPassingPeer() => VethPair.CreateReceivingXdpTx();
}

/// <summary>A program attached to an interface by netlink in driver mode, as another loader attaches it; detached on
/// dispose.</summary>
internal sealed class NetlinkAttachment : IDisposable
{
    private readonly int _ifindex;

    private NetlinkAttachment(int ifindex) => _ifindex = ifindex;

    public static NetlinkAttachment Attach(int ifindex, BpfProgram program)
    {
        BpfXdp.Attach(ifindex, program.Fd, XdpFlags.DriverMode);
        return new NetlinkAttachment(ifindex);
    }

    public void Dispose() => BpfXdp.Detach(_ifindex, XdpFlags.DriverMode);
}
