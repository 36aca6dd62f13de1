using Kecleon.FrontEnd;
using Kecleon.Runtime.Checking;
using Kecleon.Runtime.Deployment;
using Kecleon.Runtime.Execution;
using Kecleon.Tests;
using Xunit;

namespace Kecleon.Runtime.Tests.Checking;

/// <summary>The check's generated packets reach the paths a program guards with checksums: <c>checksum_gate</c> (our
/// corpus) counts the packets that pass its IPv4 and TCP checksum checks and reach the lookup Kecleon specializes.</summary>
[Trait("Tier", "Kernel")]
public sealed class CheckCorpusTests
{
    private static string Corpus(string name) => Path.Combine(TestEnvironment.RepositoryRoot, "tests", "Corpus", name);

    [Fact]
    public void The_generated_check_packets_pass_a_checksum_gate_that_random_frames_never_pass()
    {
        var elf = ProgramSource.Read(Corpus("checksum_gate.bpf.c")).BuildBaselineObject();
        using var program = LoadedVariant.Load("checksum_gate", elf, "checksum_gate");

        var generated = Reached(program, CheckPackets.For(null, 1000, seed: 1).Packets);
        var randomOnly = Reached(program, PacketFuzzer.Generate([], 1000, 1));

        Assert.True(generated > 100, $"{generated} of the check's 1,000 packets passed the gate");
        Assert.Equal(0UL, randomOnly);
    }

    /// <summary>How many of <paramref name="packets"/> got past the gate (its per-CPU <c>gate_reached</c> counter).</summary>
    private static ulong Reached(LoadedVariant program, IReadOnlyList<byte[]> packets)
    {
        var counter = program.Object.FindMap("gate_reached")!;
        counter.Update(BitConverter.GetBytes(0u), new byte[counter.SyscallValueSize]);
        foreach (var packet in packets)
            PacketRunner.Run(program.Program, packet);
        var value = counter.Lookup(BitConverter.GetBytes(0u))!;
        ulong total = 0;
        for (var i = 0; i + 8 <= value.Length; i += 8)
            total += BitConverter.ToUInt64(value, i);
        return total;
    }
}
