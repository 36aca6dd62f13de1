using System.Runtime.CompilerServices;

// Kernel tests share one kernel and count this process's fds: run them one at a time.
[assembly: Xunit.CollectionBehavior(DisableTestParallelization = true)]

namespace Kecleon.Tests;

/// <summary>Where things are, for tests run from the build output of any test project.</summary>
internal static class TestEnvironment
{
    /// <summary>The repository root (the folder holding Kecleon.sln).</summary>
    public static string RepositoryRoot { get; } = FindRoot();

    public static string Samples => Path.Combine(RepositoryRoot, "samples");

    /// <summary>The <c>dotnet</c> host running the tests, to start a test's child processes with.</summary>
    public static string DotnetHost => Environment.ProcessPath is { } p && Path.GetFileNameWithoutExtension(p) == "dotnet"
        ? p
        : "/usr/share/dotnet/dotnet";

    public static string TempFile(string extension, [CallerMemberName] string test = "")
    {
        var dir = Path.Combine(Path.GetTempPath(), "kecleon-tests");
        Directory.CreateDirectory(dir);
        return Path.Combine(dir, $"{test}-{Guid.NewGuid():N}{extension}");
    }

    /// <summary>Writes a C file for a test and returns its path.</summary>
    public static string WriteC(string code, [CallerMemberName] string test = "")
    {
        var path = TempFile(".c", test);
        File.WriteAllText(path, code);
        return path;
    }

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "Kecleon.sln")))
                return dir.FullName;
        throw new InvalidOperationException($"no Kecleon.sln above {AppContext.BaseDirectory}");
    }
}

/// <summary>Counts this process's BPF file descriptors (maps, programs, links, BTF), to show that a piece of work leaked
/// none. Only BPF objects count: the test runner opens and closes other files of its own at any time.</summary>
internal static class FdLeakCheck
{
    public static int OpenDescriptors() => Directory.GetFiles("/proc/self/fd").Count(IsBpf);

    private static bool IsBpf(string fd)
    {
        try
        {
            return new FileInfo(fd).LinkTarget is { } target && target.StartsWith("anon_inode:bpf", StringComparison.Ordinal);
        }
        catch (IOException)
        {
            return false; // closed while we looked
        }
    }

    /// <summary>Runs <paramref name="work"/> a few times and asserts the fd count comes back to where it was. The first
    /// run is a warm-up: libraries open lasting descriptors (e.g. for feature probes) once.</summary>
    public static void AssertNoLeak(Action work, int iterations = 5)
    {
        work();
        GC.Collect();
        GC.WaitForPendingFinalizers();
        var before = OpenDescriptors();
        for (var i = 0; i < iterations; i++)
            work();
        GC.Collect();
        GC.WaitForPendingFinalizers();
        Xunit.Assert.Equal(before, OpenDescriptors());
    }
}

/// <summary>Small sample programs used across tests.</summary>
internal static class Programs
{
    public const string Prelude = """
        #include <linux/bpf.h>
        #include <linux/if_ether.h>
        #include <bpf/bpf_helpers.h>
        #include <bpf/bpf_endian.h>
        char LICENSE[] SEC("license") = "GPL";
        """;

    /// <summary>Looks up the EtherType in a hash map; a hit returns the stored verdict, a miss passes. It also swaps the
    /// MAC addresses when the verdict is XDP_TX, so output bytes are worth comparing.</summary>
    public const string EtherTypeVerdict = Prelude + """

        struct {
            __uint(type, BPF_MAP_TYPE_HASH);
            __uint(max_entries, 64);
            __type(key, __u32);
            __type(value, __u32);
        } verdicts SEC(".maps");

        SEC("xdp")
        int ethertype_verdict(struct xdp_md *ctx)
        {
            void *data = (void *)(long)ctx->data, *end = (void *)(long)ctx->data_end;
            struct ethhdr *eth = data;
            if ((void *)(eth + 1) > end)
                return XDP_DROP;
            __u32 key = bpf_ntohs(eth->h_proto);
            __u32 *verdict = bpf_map_lookup_elem(&verdicts, &key);
            if (!verdict)
                return XDP_PASS;
            if (*verdict == XDP_TX) {
                unsigned char tmp[ETH_ALEN];
                __builtin_memcpy(tmp, eth->h_source, ETH_ALEN);
                __builtin_memcpy(eth->h_source, eth->h_dest, ETH_ALEN);
                __builtin_memcpy(eth->h_dest, tmp, ETH_ALEN);
            }
            return *verdict;
        }
        """;

    /// <summary>An Ethernet frame with the given EtherType, 64 bytes, distinct MACs.</summary>
    public static byte[] Frame(ushort etherType, int length = 64)
    {
        var frame = new byte[length];
        for (var i = 0; i < 6; i++)
        {
            frame[i] = (byte)(0x10 + i);
            frame[6 + i] = (byte)(0x20 + i);
        }
        frame[12] = (byte)(etherType >> 8);
        frame[13] = (byte)etherType;
        for (var i = 14; i < length; i++)
            frame[i] = (byte)i;
        return frame;
    }
}
