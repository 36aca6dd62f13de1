using System.Globalization;
using Xunit;
using Xunit.Abstractions;

namespace Kecleon.Cli.Tests;

/// <summary>A router asking a host table, then a prefix table, then a default slot: the three lookups merge through a phi
/// into one next hop, which keys a neighbour table whose MAC and port rewrite and redirect the frame.</summary>
public sealed class PhiMergedLookupsPatternTests(ITestOutputHelper output) : MapPatternTests(output)
{
    protected override string Pattern => "phi_merged_lookups";
    protected override string Program => "pm_route";

    protected override IReadOnlyList<string> ExpectedSteps =>
    [
        "+ map-inlining: pm_hosts: 2 entries as a switch; pm_default: 1 entries as a switch; pm_prefixes: 4 prefixes as a binary search over 9 address ranges; 3 lookups merged through a phi",
        "+ map-inlining: pm_neighbours: 3 entries as a switch",
    ];

    /// <summary>Hosts in the sample router's local net, its prefixes and one of our own, a default next hop, and
    /// neighbours sending back out (port 0) or through the devmap to the peer.</summary>
    protected override IReadOnlyList<string> LoaderOptions(int peerIndex) =>
    [
        "--hex", "pm_hosts", "c633640a", "01000000",
        "--hex", "pm_hosts", "c633644d", "02000000",
        "--hex", "pm_prefixes", "18000000c6336400", "01000000",
        "--hex", "pm_prefixes", "1a000000c6336440", "02000000",
        "--hex", "pm_prefixes", "080000000a000000", "03000000",
        "--hex", "pm_prefixes", "18000000cb007100", "00000000",
        "--u32", "pm_default", "0", "3",
        "--hex", "pm_neighbours", "01000000", "020000000001000000000000",
        "--hex", "pm_neighbours", "02000000", "020000000002000001000000",
        "--hex", "pm_neighbours", "03000000", "020000000003000000000000",
        .. peerIndex > 0 ? ["--dev", "pm_ports", "1", peerIndex.ToString(CultureInfo.InvariantCulture)] : Array.Empty<string>(),
    ];

    [Fact]
    public void The_daemon_optimizes_and_restores_it() => AssertTheDaemonOptimizesAndRestoresIt();
}

/// <summary>A VIP table of ten 20-byte (address, port, protocol, family) keys whose values carry flags and a MAC slot;
/// an any-port VIP is looked up again with port 0 (two lookups merged through a phi); a small control array holds MACs.</summary>
public sealed class VipFlagsPatternTests(ITestOutputHelper output) : MapPatternTests(output)
{
    protected override string Pattern => "vip_flags";
    protected override string Program => "vf_balance";

    protected override IReadOnlyList<string> ExpectedSteps =>
    [
        "+ map-inlining: vf_vips: 10 entries as a full-key compare tree, 2 lookups merged through a phi",
        "- map-inlining: vf_macs holds 4 distinct values, over the 2 the cost model folds",
    ];

    private const string Zeros = "000000000000000000000000";

    /// <summary>Ten VIPs in the sample router's local net (flags: 1 any port, 2 drop, 4 to the stack, 8 set the MAC from
    /// the slot in the value's second word), and four MACs.</summary>
    protected override IReadOnlyList<string> LoaderOptions(int peerIndex) =>
    [
        .. Vip("c633640a", "0050", "06", "0800000001000000"),
        .. Vip("c633640a", "01bb", "06", "0800000002000000"),
        .. Vip("c633640b", "0035", "11", "0400000000000000"),
        .. Vip("c633640c", "0000", "06", "0900000000000000"),
        .. Vip("c633640c", "0000", "11", "0300000000000000"),
        .. Vip("c633640d", "0050", "06", "0000000000000000"),
        .. Vip("c633640e", "1f90", "06", "0200000000000000"),
        .. Vip("c633640f", "0000", "06", "0100000000000000"),
        .. Vip("c6336410", "01bb", "11", "0800000003000000"),
        .. Vip("c6336411", "0000", "11", "0000000000000000"),
        "--hex", "vf_macs", "00000000", "02aa000000010000",
        "--hex", "vf_macs", "01000000", "02aa000000020000",
        "--hex", "vf_macs", "02000000", "02aa000000030000",
        "--hex", "vf_macs", "03000000", "02aa000000040000",
    ];

    private static string[] Vip(string address, string port, string protocol, string value) =>
        ["--hex", "vf_vips", address + Zeros + port + protocol + "04", value];

    [Fact]
    public void The_daemon_optimizes_and_restores_it() => AssertTheDaemonOptimizesAndRestoresIt();
}
