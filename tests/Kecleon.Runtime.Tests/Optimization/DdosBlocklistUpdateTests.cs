using System.Buffers.Binary;
using Kecleon.Runtime.Optimization;
using Kecleon.Runtime.Tests.Samples;
using Kecleon.Workloads;
using Xunit;

namespace Kecleon.Runtime.Tests.Optimization;

/// <summary>
/// The DDoS stage's blocklist changes while an attack runs through the specialized program: every verdict after a write
/// must be the original's on the same maps.
/// </summary>
[Trait("Tier", "Kernel")]
public sealed class DdosBlocklistUpdateTests
{
    private const int Writes = 1000;

    /// <summary>
    /// The control plane lists a /24 holding a legitimate client and unlists the prefix holding an attacker, and undoes
    /// both, 1,000 writes in all, while another thread runs the attack trace through the specialized program. After each
    /// write the client's and the attacker's packets and a slice of the trace go through the specialized program and the
    /// original, both on the live maps. The program is specialized again halfway, so the specialized code (not only its
    /// fallback) meets writes right after a cycle.
    /// </summary>
    [Fact]
    public void A_blocklist_write_under_attack_gives_no_stale_verdict()
    {
        using var setup = new LiveSample("ddos", "ddos_upd_live");
        var (s, controlPlane, live) = (setup.Sample, setup.ControlPlane, setup.Program);
        // Tokens enough for the whole test: a source's bucket is shared by both programs, and running out in between
        // two runs of one packet would be a difference the blocklist did not make.
        live.Object.Map("ddos_config").Update(BitConverter.GetBytes(0), [0xff, 0xff, 0xff, 0xff, 0, 0, 0, 0]);
        var trace = s.GenerateTrace(controlPlane, Locality.High, 400, 11);

        uint Source(byte[] frame) => BinaryPrimitives.ReadUInt32BigEndian(frame.AsSpan(26));
        bool IsIpv4(byte[] frame) => BinaryPrimitives.ReadUInt16BigEndian(frame.AsSpan(12)) == 0x0800;
        var nets = controlPlane.Entries("ddos_deny_nets").Select(e => Ipv4Prefix.FromLpmKey(e.Key)).ToList();
        var hosts = controlPlane.Entries("ddos_deny_hosts").Select(e => BinaryPrimitives.ReadUInt32BigEndian(e.Key)).ToHashSet();
        var passing = trace.Where(p => IsIpv4(p) && live.Program.TestRun(p).ReturnValue == (uint)Kecleon.Bpf.XdpAction.Pass).ToList();
        var client = passing.First(p => !nets.Any(n => n.Contains(Source(p) & 0xffffff00)));
        // An attacker of the trace listed by exactly one prefix (so unlisting it lets the attacker through) and by no host
        // entry, sending what the client sends (so that no port rule drops it either).
        var (attackerSource, attackerNet) = trace.Where(IsIpv4).Select(p => (Address: Source(p), Nets: nets.Where(n => n.Contains(Source(p))).ToList()))
            .Where(x => x.Nets.Count == 1 && !hosts.Contains(x.Address)).Select(x => (x.Address, x.Nets[0])).First();
        var attacker = (byte[])client.Clone();
        BinaryPrimitives.WriteUInt32BigEndian(attacker.AsSpan(26), attackerSource);
        var clientNet = new Ipv4Prefix(Source(client), 24);
        byte[] listing = [1, 0, 0, 0, 0, 0, 0, 0];
        var deny = live.Object.Map("ddos_deny_nets");
        var attackerValue = deny.Lookup(attackerNet.ToLpmKey())!;

        var options = new OptimizeOptions { MaxProbePackets = 2000 };
        OptimizedProgram? optimized = null;
        CancellationTokenSource? stop = null;
        Task? attack = null;
        void StartAttack(Kecleon.Bpf.BpfProgram program)
        {
            var token = (stop = new CancellationTokenSource()).Token;
            attack = Task.Run(() =>
            {
                for (var i = 0; !token.IsCancellationRequested; i++)
                    program.TestRun(trace[i % trace.Count]);
            });
        }
        void StopAttack()
        {
            stop?.Cancel();
            attack?.Wait();
            stop?.Dispose();
            (stop, attack) = (null, null);
        }
        try
        {
            var stale = new List<string>();
            for (var write = 0; write < Writes; write++)
            {
                // Writes 0 and 500 start from the sample's own lists (each four writes undo themselves).
                if (write % (Writes / 2) == 0)
                {
                    StopAttack();
                    optimized?.Dispose();
                    optimized = setup.Optimize(trace, options);
                    Assert.True(optimized.IsCurrent);
                    Assert.Contains(optimized.Report.Applied, step => step.What.StartsWith("ddos_deny_nets:", StringComparison.Ordinal));
                    StartAttack(optimized.Variant.Program);
                }
                var program = optimized!.Variant.Program;
                switch (write % 4)
                {
                    case 0: deny.Update(clientNet.ToLpmKey(), listing); break;
                    case 1: deny.Delete(attackerNet.ToLpmKey()); break;
                    case 2: deny.Delete(clientNet.ToLpmKey()); break;
                    default: deny.Update(attackerNet.ToLpmKey(), attackerValue); break;
                }
                var expectClientDropped = write % 4 is 0 or 1;
                var expectAttackerDropped = write % 4 is 0 or 3;
                foreach (var (packet, name) in new[] { (client, "client"), (attacker, "attacker") }.Concat(trace.Skip(write % 8 * 50).Take(12).Select(p => (p, "trace"))))
                {
                    var want = live.Program.TestRun(packet).ReturnValue;
                    var got = program.TestRun(packet).ReturnValue;
                    if (want != got)
                        stale.Add($"write {write}, {name}: original {want}, specialized {got}");
                }
                Assert.Equal(expectClientDropped, live.Program.TestRun(client).ReturnValue == (uint)Kecleon.Bpf.XdpAction.Drop);
                Assert.Equal(expectAttackerDropped, live.Program.TestRun(attacker).ReturnValue == (uint)Kecleon.Bpf.XdpAction.Drop);
            }
            Assert.True(stale.Count == 0, $"{stale.Count} stale verdicts: {string.Join("; ", stale.Take(5))}");
            Assert.False(optimized!.IsCurrent);
        }
        finally
        {
            StopAttack();
            optimized?.Dispose();
        }
    }
}
