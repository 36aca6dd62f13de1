using System.Diagnostics;
using Kecleon.Bpf;
using Kecleon.FrontEnd;
using Kecleon.Runtime.Optimization;
using Kecleon.Runtime.Tests.Samples;
using Kecleon.Workloads;
using Kecleon.Tests;
using Xunit;

namespace Kecleon.Runtime.Tests.Optimization;

/// <summary>
/// A program loaded after the specialization, by another process (bpftool), on the router's <c>routes</c> map: one that
/// writes it must make the specialized program fall back before it can run, and keep <c>routes</c> out of every
/// specialization while it is loaded; one that only reads it must not.
/// </summary>
[Trait("Tier", "Kernel")]
public sealed class LateWriterTests(Xunit.Abstractions.ITestOutputHelper output) : IDisposable
{
    private const string RoutesDeclaration = Programs.Prelude + """

        struct route_key { __u32 prefixlen; __u32 addr; };
        struct {
            __uint(type, BPF_MAP_TYPE_LPM_TRIE);
            __uint(map_flags, BPF_F_NO_PREALLOC);
            __uint(max_entries, 16384);
            __type(key, struct route_key);
            __type(value, __u32);
        } routes SEC(".maps");
        """;

    /// <summary>Packet bytes 0..7: a route key; 8..11: the next-hop index to store for it.</summary>
    private const string Writer = RoutesDeclaration + """

        SEC("xdp")
        int write_route(struct xdp_md *ctx)
        {
            void *data = (void *)(long)ctx->data, *end = (void *)(long)ctx->data_end;
            if (data + 12 > end)
                return XDP_ABORTED;
            struct route_key key;
            __builtin_memcpy(&key, data, sizeof(key));
            __u32 nexthop = *(__u32 *)(data + 8);
            return bpf_map_update_elem(&routes, &key, &nexthop, BPF_ANY) == 0 ? XDP_PASS : XDP_DROP;
        }
        """;

    private const string Reader = RoutesDeclaration + """

        SEC("xdp")
        int read_route(struct xdp_md *ctx)
        {
            void *data = (void *)(long)ctx->data, *end = (void *)(long)ctx->data_end;
            if (data + 8 > end)
                return XDP_ABORTED;
            struct route_key key;
            __builtin_memcpy(&key, data, sizeof(key));
            return bpf_map_lookup_elem(&routes, &key) ? XDP_TX : XDP_PASS;
        }
        """;

    private readonly string _pins = Path.Combine("/sys/fs/bpf", $"kecleon-test-late-writer-{Environment.ProcessId}");

    public void Dispose()
    {
        if (Directory.Exists(_pins))
            Directory.Delete(_pins, recursive: true);
    }

    /// <summary>Loads <paramref name="source"/> from another process, bpftool, on the pinned <c>routes</c>, and pins it.</summary>
    private string LoadElsewhere(string source, string name, string routesPin)
    {
        var elf = TestEnvironment.TempFile(".o", name);
        File.WriteAllBytes(elf, ProgramSource.Read(TestEnvironment.WriteC(source, name)).BuildBaselineObject());
        var pin = Path.Combine(_pins, name);
        using var bpftool = Process.Start(new ProcessStartInfo("bpftool", ["prog", "load", elf, pin, "type", "xdp", "map", "name", "routes", "pinned", routesPin])
        {
            RedirectStandardError = true, RedirectStandardOutput = true,
        })!;
        var errors = bpftool.StandardError.ReadToEnd();
        bpftool.WaitForExit();
        Assert.True(bpftool.ExitCode == 0, $"bpftool prog load {name}: {errors}");
        return pin;
    }

    /// <summary>What the daemon passes: the variants of the program it made itself are not other writers.</summary>
    private static OptimizeOptions Trusting(params OptimizedProgram[] variants) =>
        new() { TrustedProgramIds = variants.Select(v => v.Variant.Program.Info().Id).ToHashSet() };

    private static string Describe(SharedMapWriters writers) => string.Join(", ", writers.Programs.Select(p =>
    {
        try
        {
            using var fd = BpfFd.OpenProgramById(p.Key);
            return $"{p.Key} ({BpfProgramInfo.FromFd(fd.Value).Name}): {string.Join(" ", p.Value)}";
        }
        catch (BpfException)
        {
            return $"{p.Key} (gone): {string.Join(" ", p.Value)}";
        }
    }));

    private static uint ProgramId(string pin)
    {
        using var fd = BpfFd.OpenPinned(pin);
        return BpfProgramInfo.FromFd(fd.Value).Id;
    }

    [Fact]
    public void A_writer_loaded_later_makes_no_verdict_stale_and_keeps_the_map_unspecialized_while_it_is_loaded()
    {
        using var setup = new LiveSample("router");
        var (s, controlPlane, live) = (setup.Sample, setup.ControlPlane, setup.Program);
        var trace = s.GenerateTrace(controlPlane, Locality.High, 200, 4);
        var (packet, routeKey, a, b) = OptimizationTests.RoutedPacket(setup, trace);
        var routes = live.Object.Map("routes");
        routes.Update(routeKey, a.Index);
        Directory.CreateDirectory(_pins);
        var routesPin = Path.Combine(_pins, "routes");
        BpfFd.Pin(routes.Fd, routesPin);

        using var specialized = setup.Optimize(trace);
        Assert.Contains(specialized.Report.Snapshots, m => m.Name == "routes");
        Assert.True(specialized.Report.OtherWriters.Programs.Count == 0, Describe(specialized.Report.OtherWriters));
        Assert.True(specialized.IsCurrent);
        Assert.Equal(a.Mac, specialized.Variant.Program.TestRun(packet).Output[..6]);

        var writerPin = LoadElsewhere(Writer, "write_route", routesPin);
        // Invalid from the moment the load returned, before anything ran it.
        Assert.False(specialized.IsCurrent);
        Assert.Contains(specialized.StaleMaps(), m => m.Map == "routes");

        // 10,000 route changes by the new program (BPF_PROG_TEST_RUN: no map-writing bpf() call of any kind), each
        // followed by the specialized and the original program on a packet to that route.
        var writerId = ProgramId(writerPin);
        int stale;
        using (var writer = BpfFd.OpenPinned(writerPin))
            stale = Changes(writer, specialized.Variant, 10_000);
        Assert.Equal(0, stale);

        // The next cycle sees the new program as a writer of routes and leaves routes to the kernel.
        using (var respecialized = setup.Optimize(trace, Trusting(specialized)))
        {
            Assert.DoesNotContain(respecialized.Report.Snapshots, m => m.Name == "routes");
            Assert.True(respecialized.Report.OtherWriters.Programs.Keys.SequenceEqual([writerId]), Describe(respecialized.Report.OtherWriters));
            Assert.Equal(["routes"], respecialized.Report.OtherWriters.Programs[writerId]);
            Assert.False(respecialized.Report.OtherWriters.AnyUnloaded());
            using var writer = BpfFd.OpenPinned(writerPin);
            Assert.Equal(0, Changes(writer, respecialized.Variant, 1_000));

            // Unloaded: the report says a new cycle may specialize on routes again, and it does.
            writer.Dispose();
            File.Delete(writerPin);
            var clock = Stopwatch.StartNew();
            while (!respecialized.Report.OtherWriters.AnyUnloaded())
            {
                Assert.True(clock.Elapsed < TimeSpan.FromSeconds(5), "the unloaded writer's id is still there after 5 s");
                Thread.Sleep(10);
            }
            output.WriteLine($"writer unloaded after {clock.Elapsed.TotalMilliseconds:F0} ms");
        }
        using var again = setup.Optimize(trace, Trusting(specialized));
        Assert.Contains(again.Report.Snapshots, m => m.Name == "routes");
        Assert.True(again.Report.OtherWriters.Programs.Count == 0, Describe(again.Report.OtherWriters));

        int Changes(BpfFd writer, Kecleon.Runtime.Deployment.LoadedVariant candidate, int count)
        {
            var wrong = 0;
            var write = new byte[64];
            routeKey.CopyTo(write, 0);
            for (var i = 0; i < count; i++)
            {
                var next = i % 2 == 0 ? b : a;
                next.Index.CopyTo(write, 8);
                Assert.Equal((uint)XdpAction.Pass, BpfTestRun.Run(writer.Value, "write_route", write).ReturnValue);
                var expected = live.Program.TestRun(packet);
                var actual = candidate.Program.TestRun(packet);
                Assert.Equal(next.Mac, expected.Output[..6]);
                if (actual.ReturnValue != expected.ReturnValue || !actual.Output.AsSpan(0, 6).SequenceEqual(expected.Output.AsSpan(0, 6)))
                    wrong++;
            }
            return wrong;
        }
    }

    public static TheoryData<string, string, bool> MayWriteCases => new()
    {
        { "lookup only", Reader, false },
        { "update helper", Writer, true },
        {
            "store through a looked-up value", RoutesDeclaration + """

            SEC("xdp")
            int bump_route(struct xdp_md *ctx)
            {
                struct route_key key = { 32, 0 };
                __u32 *nexthop = bpf_map_lookup_elem(&routes, &key);
                if (nexthop)
                    *nexthop = 7;
                return XDP_PASS;
            }
            """, true
        },
        {
            "packet rewrite (conservatively a writer)", RoutesDeclaration + """

            SEC("xdp")
            int rewrite(struct xdp_md *ctx)
            {
                void *data = (void *)(long)ctx->data, *end = (void *)(long)ctx->data_end;
                if (data + 8 > end)
                    return XDP_ABORTED;
                struct route_key key;
                __builtin_memcpy(&key, data, sizeof(key));
                if (bpf_map_lookup_elem(&routes, &key))
                    *(__u8 *)data = 0;
                return XDP_TX;
            }
            """, true
        },
    };

    [Theory]
    [MemberData(nameof(MayWriteCases))]
    public void Whether_a_program_may_write_maps_is_read_from_its_verified_instructions(string what, string source, bool writes)
    {
        using var obj = Kernel.KernelPrograms.Load(ProgramSource.Read(TestEnvironment.WriteC(source, "may_write")).BuildBaselineObject(), "may_write.o");
        var program = obj.Programs.Single();
        Assert.True(writes == SharedMapWriters.MayWriteMaps(BpfProgramInfo.XlatedInstructionsOf(program.Fd)), what);
    }

    [Fact]
    public void A_reader_loaded_later_invalidates_but_does_not_keep_the_map_unspecialized()
    {
        using var setup = new LiveSample("router");
        var trace = setup.Sample.GenerateTrace(setup.ControlPlane, Locality.High, 200, 4);
        Directory.CreateDirectory(_pins);
        var routesPin = Path.Combine(_pins, "routes");
        BpfFd.Pin(setup.Program.Object.Map("routes").Fd, routesPin);
        using var specialized = setup.Optimize(trace);
        Assert.Contains(specialized.Report.Snapshots, m => m.Name == "routes");

        var readerPin = LoadElsewhere(Reader, "read_route", routesPin);

        Assert.False(specialized.IsCurrent); // the load cannot tell a reader from a writer: it invalidates
        using var respecialized = setup.Optimize(trace, Trusting(specialized));
        Assert.Contains(respecialized.Report.Snapshots, m => m.Name == "routes");
        Assert.True(respecialized.Report.OtherWriters.Programs.Count == 0, Describe(respecialized.Report.OtherWriters));
        Assert.True(respecialized.IsCurrent);
        File.Delete(readerPin);
    }
}
