using System.Text;
using BenchmarkDotNet.Attributes;
using Kecleon.Analyses;
using Kecleon.FrontEnd;
using Kecleon.Llvm;
using Kecleon.Reports;

namespace Kecleon.Benchmarks;

/// <summary>
/// The analysis phase on a generated XDP program of about 2,000 IR instructions (a chain of header checks, lookups in
/// several maps, counters written through lookups, a bounded loop). The issue asks for well under a second.
/// <see cref="Analyze"/> includes parsing the bitcode and libbpf's view of the object (code generation + open), which is
/// most of the time; <see cref="AnalyzeWithoutParsing"/> reuses one module.
/// </summary>
[MemoryDiagnoser]
public class AnalysisBenchmark
{
    private byte[] _bitcode = [];
    private LlvmContext? _context;
    private LlvmModule? _module;

    /// <summary>Lookup blocks in the generated program; 40 gives about 2,000 IR instructions.</summary>
    [Params(40)]
    public int Stages { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        var path = Path.Combine(Path.GetTempPath(), $"kecleon-bench-{Guid.NewGuid():N}.c");
        File.WriteAllText(path, GenerateProgram(Stages));
        try
        {
            _bitcode = ProgramSource.Read(path).Ir;
        }
        finally
        {
            File.Delete(path);
        }
        _context = LlvmContext.Create();
        _module = LlvmModule.Parse(_context, _bitcode, "bench.bc");
        using var analysis = ProgramAnalysis.Analyze(_module);
        Console.WriteLine($"// generated program: {analysis.Programs.Sum(p => p.InstructionCount)} IR instructions, " +
                          $"{analysis.Programs.Sum(p => p.BpfInstructionCount ?? 0)} BPF instructions, {analysis.LookupSites.Count()} lookups");
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _module?.Dispose();
        _context?.Dispose();
    }

    [Benchmark]
    public int Analyze()
    {
        using var module = LlvmModule.Parse(_context!, _bitcode, "bench.bc");
        using var analysis = ProgramAnalysis.Analyze(module);
        return TextReport.Render(analysis).Length;
    }

    [Benchmark]
    public int AnalyzeWithoutParsing()
    {
        using var analysis = ProgramAnalysis.Analyze(_module!);
        return JsonReport.Render(analysis).Length;
    }

    internal static string GenerateProgram(int stages)
    {
        var c = new StringBuilder("""
            #include <linux/bpf.h>
            #include <linux/if_ether.h>
            #include <linux/ip.h>
            #include <bpf/bpf_helpers.h>
            #include <bpf/bpf_endian.h>
            char LICENSE[] SEC("license") = "GPL";
            struct { __uint(type, BPF_MAP_TYPE_PERCPU_ARRAY); __uint(max_entries, 256); __type(key, __u32); __type(value, __u64); } stats SEC(".maps");

            """);
        for (var i = 0; i < stages; i++)
            c.Append($$"""
                struct { __uint(type, BPF_MAP_TYPE_HASH); __uint(max_entries, 1024); __type(key, __u32); __type(value, __u32); } table{{i}} SEC(".maps");

                """);
        c.Append("""
            static __always_inline void count(__u32 index)
            {
                __u64 *v = bpf_map_lookup_elem(&stats, &index);
                if (v)
                    *v += 1;
            }

            SEC("xdp")
            int generated(struct xdp_md *ctx)
            {
                void *data = (void *)(long)ctx->data, *end = (void *)(long)ctx->data_end;
                struct ethhdr *eth = data;
                struct iphdr *iph = data + sizeof(*eth);
                __u32 acc = 0;
                if ((void *)(iph + 1) > end)
                    return XDP_PASS;
            #pragma clang loop unroll(disable)
                for (__u32 i = 0; i < 4; i++)
                    acc += iph->ttl + i;

            """);
        for (var i = 0; i < stages; i++)
            c.Append($$"""
                    {
                        __u32 key = iph->daddr ^ {{i}} ^ acc;
                        __u32 *hit = bpf_map_lookup_elem(&table{{i}}, &key);
                        if (hit && *hit == {{i}}) {
                            count({{i}});
                            acc += *hit;
                        } else if (iph->protocol == {{i % 17}}) {
                            count({{i + 64}});
                            return XDP_DROP;
                        }
                    }

                """);
        c.Append("""
                return acc & 1 ? XDP_PASS : XDP_TX;
            }
            """);
        return c.ToString();
    }
}
