using System.Collections.Concurrent;
using Kecleon.Bench.Live;
using Kecleon.FrontEnd;
using Kecleon.Tests;
using Xunit;

namespace Kecleon.Cli.Tests;

/// <summary>
/// The programs of <c>tests/Corpus</c> that stand for what LLVM and libbpf must carry through: inline assembly, a stub
/// entry calling its handler, <c>.kconfig</c>/<c>__ksym</c> externs, CO-RE relocations, a kfunc call and an object
/// linked by <c>bpftool gen object</c>. Each is built as its users build it: an object with embedded bitcode that
/// libbpf loads as it is.
/// </summary>
internal static class LlvmCorpus
{
    public static readonly string Folder = Path.Combine(TestEnvironment.RepositoryRoot, "tests", "Corpus");

    /// <summary>The patterns, with a line the analysis must show for each.</summary>
    public static readonly IReadOnlyDictionary<string, string> Patterns = new Dictionary<string, string>
    {
        ["inline_asm"] = "inline_asm  section xdp, type xdp",
        ["stub_entry"] = "calls: handle",
        ["kconfig_externs"] = "global data .kconfig: LINUX_KERNEL_VERSION, CONFIG_HZ",
        ["core_reloc"] = "CO-RE relocatable access(es)",
        ["core_field_copy"] = "CO-RE relocatable access(es)",
        ["kfunc_call"] = "bpf_dynptr_from_xdp",
        ["linked"] = "calls: linked_classify",
    };

    public static TheoryData<string> Names => new(Patterns.Keys);

    private static readonly ConcurrentDictionary<string, Lazy<string>> Objects = new();

    /// <summary>The pattern's object (built once per test run).</summary>
    public static string Object(string pattern) =>
        Objects.GetOrAdd(pattern, p => new Lazy<string>(() => Build(p))).Value;

    private static string Build(string pattern)
    {
        var output = TestEnvironment.TempFile($"-{pattern}.o", "llvm-corpus");
        if (pattern != "linked")
        {
            File.WriteAllBytes(output, Compile($"{pattern}.bpf.c"));
            return output;
        }
        var main = TestEnvironment.TempFile("-linked_main.o", "llvm-corpus");
        var helper = TestEnvironment.TempFile("-linked_helper.o", "llvm-corpus");
        File.WriteAllBytes(main, Compile("linked_main.bpf.c"));
        File.WriteAllBytes(helper, Compile("linked_helper.bpf.c"));
        VethPair.Run("bpftool", $"gen object {output} {main} {helper}");
        return output;
    }

    private static byte[] Compile(string file) => Clang.CompileToObject(Path.Combine(Folder, file), ["-fembed-bitcode"]);
}
