using System.Diagnostics;
using Kecleon.FrontEnd;
using Kecleon.Llvm;
using Kecleon.Tests;
using Xunit;

namespace Kecleon.Analysis.Tests.FrontEnd;

public sealed class ProgramSourceTests
{
    [Fact]
    public void Compiles_c_with_clang_and_keeps_debug_metadata()
    {
        var source = ProgramSource.Read(TestEnvironment.WriteC(Programs.EtherTypeVerdict));
        Assert.Equal(SourceKind.C, source.Kind);
        using var context = LlvmContext.Create();
        using var module = source.Parse(context);
        Assert.NotEqual(0u, module.DebugMetadataVersion);
        Assert.Null(source.UserObject);
        Assert.NotEmpty(source.BuildBaselineObject());
    }

    [Fact]
    public void Passes_extra_clang_flags()
    {
        var path = TestEnvironment.WriteC(Programs.Prelude + "\n#ifndef NEEDED\n#error NEEDED is not defined\n#endif\n");
        Assert.Throws<InvalidInputException>(() => ProgramSource.Read(path));
        Assert.Equal(SourceKind.C, ProgramSource.Read(path, new FrontEndOptions { ClangFlags = ["-DNEEDED"] }).Kind);
    }

    [Fact]
    public void C_that_does_not_compile_shows_clangs_diagnostics()
    {
        var path = TestEnvironment.WriteC(Programs.Prelude + "\nint broken(void) { return undeclared_thing; }\n");
        var e = Assert.Throws<InvalidInputException>(() => ProgramSource.Read(path));
        Assert.Contains("clang could not compile it", e.Message);
        Assert.Contains("undeclared_thing", e.Details);
        Assert.Equal(ExitCodes.BadInput, e.ExitCode);
    }

    [Fact]
    public void Reads_text_ir_bitcode_and_objects_with_embedded_bitcode()
    {
        var c = TestEnvironment.WriteC(Programs.EtherTypeVerdict);
        var ll = Path.ChangeExtension(c, ".ll");
        var bc = Path.ChangeExtension(c, ".bc");
        var obj = Path.ChangeExtension(c, ".o");
        Clang(c, "-S", "-emit-llvm", "-o", ll);
        Clang(c, "-emit-llvm", "-c", "-o", bc);
        Clang(c, "-fembed-bitcode", "-c", "-o", obj);
        Assert.Equal(SourceKind.LlvmText, ProgramSource.Read(ll).Kind);
        Assert.Equal(SourceKind.Bitcode, ProgramSource.Read(bc).Kind);
        var embedded = ProgramSource.Read(obj);
        Assert.Equal(SourceKind.EmbeddedBitcode, embedded.Kind);
        Assert.Equal(File.ReadAllBytes(obj), embedded.UserObject);
        using var context = LlvmContext.Create();
        foreach (var path in new[] { ll, bc, obj })
        {
            using var module = ProgramSource.Read(path).Parse(context);
            Assert.NotNull(module.GetFunction("ethertype_verdict"));
        }
    }

    [Fact]
    public void An_object_without_llvmbc_says_how_to_build_one()
    {
        var c = TestEnvironment.WriteC(Programs.EtherTypeVerdict);
        var obj = Path.ChangeExtension(c, ".o");
        Clang(c, "-c", "-o", obj);
        var e = Assert.Throws<InvalidInputException>(() => ProgramSource.Read(obj));
        Assert.Contains("-fembed-bitcode", e.Message);
    }

    [Fact]
    public void Ir_without_debug_metadata_is_refused_with_the_reason()
    {
        var c = TestEnvironment.WriteC(Programs.EtherTypeVerdict);
        var ll = Path.ChangeExtension(c, ".ll");
        RunClang(["-O2", "-target", "bpf", "-I/usr/include/x86_64-linux-gnu", "-S", "-emit-llvm", c, "-o", ll]);
        using var context = LlvmContext.Create();
        var e = Assert.Throws<InvalidInputException>(() => ProgramSource.Read(ll).Parse(context));
        Assert.Contains("-g", e.Message);
    }

    [Fact]
    public void Missing_files_and_unknown_types_are_clear_errors()
    {
        Assert.Equal(ExitCodes.NoInput, Assert.Throws<InputNotFoundException>(() => ProgramSource.Read("/nonexistent/x.c")).ExitCode);
        var odd = TestEnvironment.TempFile(".txt");
        File.WriteAllText(odd, "hello");
        Assert.Contains("unknown input type", Assert.Throws<InvalidInputException>(() => ProgramSource.Read(odd)).Message);
        var fakeBc = TestEnvironment.TempFile(".bc");
        File.WriteAllText(fakeBc, "not bitcode");
        Assert.Contains("not LLVM bitcode", Assert.Throws<InvalidInputException>(() => ProgramSource.Read(fakeBc)).Message);
    }

    private static void Clang(string source, params string[] args) =>
        RunClang(["-O2", "-g", "-target", "bpf", "-I/usr/include/x86_64-linux-gnu", source, .. args]);

    private static void RunClang(string[] args)
    {
        var info = new ProcessStartInfo("clang-14") { RedirectStandardError = true };
        foreach (var a in args)
            info.ArgumentList.Add(a);
        using var process = Process.Start(info)!;
        var err = process.StandardError.ReadToEnd();
        process.WaitForExit();
        Assert.True(process.ExitCode == 0, err);
    }

    private static byte[] Bitcode(string code, [System.Runtime.CompilerServices.CallerMemberName] string test = "") =>
        Kecleon.FrontEnd.Clang.CompileToBitcode(TestEnvironment.WriteC(code, test), []);

    [Fact]
    public void Splits_the_concatenated_bitcode_of_a_linked_object_by_its_blocks_and_links_it()
    {
        // libbpf's linker (bpftool gen object) concatenates the objects' .llvmbc sections with no padding.
        var main = Bitcode(Programs.Prelude + """

            extern int classify(struct xdp_md *ctx);
            SEC("xdp") int linked_entry(struct xdp_md *ctx) { return classify(ctx); }
            """);
        var helper = Bitcode("""
            #include <linux/bpf.h>
            __attribute__((noinline)) int classify(struct xdp_md *ctx) { return ctx->data_end - ctx->data > 60 ? XDP_PASS : XDP_DROP; }
            """);
        var section = main.Concat(helper).ToArray();

        var files = EmbeddedBitcode.Split(section, "linked.o");
        Assert.Equal(2, files.Count);
        Assert.Equal(main, files[0].ToArray());
        Assert.Equal(helper, files[1].ToArray());

        using var context = LlvmContext.Create();
        using var module = LlvmModule.Parse(context, EmbeddedBitcode.Link(section, "linked.o"), "linked.o");
        Assert.False(module.GetFunction("classify")!.Value.IsDeclaration);
        Assert.False(module.GetFunction("linked_entry")!.Value.IsDeclaration);
        Assert.Null(module.Verify());
        Assert.Same(main, EmbeddedBitcode.Link(main, "single.o")); // one file is taken as it is
    }

    [Fact]
    public void Refuses_a_section_that_is_not_a_sequence_of_bitcode_files()
    {
        var one = Bitcode(Programs.EtherTypeVerdict);
        var e = Assert.Throws<InvalidInputException>(() => EmbeddedBitcode.Split(one.Concat(new byte[] { 1, 2, 3, 4 }).ToArray(), "odd.o"));
        Assert.Contains("odd.o: the .llvmbc section is not a sequence of bitcode files (file 1: ", e.Message);
        Assert.Throws<InvalidInputException>(() => EmbeddedBitcode.Split(one[..(one.Length / 2)], "cut.o"));
    }

    [Fact]
    public void Refuses_linked_bitcode_that_defines_a_symbol_twice_by_name()
    {
        var a = Bitcode(Programs.Prelude + "\nint twice(void) { return 1; }\nSEC(\"xdp\") int a(struct xdp_md *c) { return twice(); }\n");
        var b = Bitcode("int twice(void) { return 2; }\n");
        var e = Assert.Throws<InvalidInputException>(() => EmbeddedBitcode.Link(a.Concat(b).ToArray(), "clash.o"));
        Assert.Contains("clash.o: a linked object whose embedded bitcode files do not link", e.Message);
        Assert.Contains("'twice': symbol multiply defined", e.Message);
    }
}
