using Kecleon.FrontEnd;
using Kecleon.Llvm;
using Kecleon.Tests;
using Xunit;

namespace Kecleon.Analysis.Tests.Llvm;

public sealed class LlvmBindingTests
{
    private static readonly byte[] EtherTypeBitcode = Clang.CompileToBitcode(TestEnvironment.WriteC(Programs.EtherTypeVerdict, "bindings"), []);

    [Fact]
    public void Parses_bitcode_and_walks_functions_blocks_and_instructions_with_debug_locations()
    {
        using var context = LlvmContext.Create();
        using var module = LlvmModule.Parse(context, EtherTypeBitcode, "ethertype.bc");
        var function = Assert.Single(module.Functions, f => !f.IsDeclaration);
        Assert.Equal("ethertype_verdict", function.Name);
        Assert.Equal("xdp", function.Section);
        Assert.True(function.HasDebugInfo);
        var instructions = function.Blocks.SelectMany(b => b.Instructions).ToList();
        Assert.True(instructions.Count > 10);
        Assert.All(function.Blocks, b => Assert.True(b.Terminator?.IsTerminator));
        var call = instructions.First(i => i.Opcode == LlvmOpcode.Call && i.CalledValue.IsConstantExpression);
        Assert.Equal(LlvmOpcode.IntToPtr, call.CalledValue.ConstantOpcode);
        Assert.Equal(1UL, call.CalledValue.Operand(0).ZExtValue); // BPF_FUNC_map_lookup_elem
        Assert.EndsWith(".c", call.DebugLocation!.Value.File);
        Assert.True(call.DebugLocation!.Value.Line > 0);
        Assert.Contains(module.Globals, g => g.Name == "verdicts" && g.Section == ".maps");
        Assert.NotEqual(0u, module.DebugMetadataVersion);
    }

    [Fact]
    public void Parses_textual_ir_and_round_trips_through_bitcode_and_clone()
    {
        using var context = LlvmContext.Create();
        using var original = LlvmModule.Parse(context, EtherTypeBitcode, "a.bc");
        var text = original.ToString();
        using var fromText = LlvmModule.Parse(context, System.Text.Encoding.UTF8.GetBytes(text), "a.ll");
        using var clone = fromText.Clone();
        using var fromBitcode = LlvmModule.Parse(context, clone.ToBitcode(), "b.bc");
        Assert.Null(fromBitcode.Verify());
        Assert.Equal(original.Functions.Count(), fromBitcode.Functions.Count());
        Assert.Contains("define dso_local i32 @ethertype_verdict", fromBitcode.ToString());
    }

    [Fact]
    public void Reports_ir_that_does_not_parse_with_llvms_message()
    {
        using var context = LlvmContext.Create();
        var e = Assert.Throws<InvalidInputException>(() =>
            LlvmModule.Parse(context, "define i32 @f() { ret i64 0 }"u8, "broken.ll"));
        Assert.Contains("broken.ll", e.Message);
        Assert.Contains("does not parse", e.Message);
        Assert.False(LlvmModule.TryParse(context, "garbage"u8, "g.ll", out _, out var error));
        Assert.NotEmpty(error);
    }

    [Fact]
    public void Verifier_reports_a_malformed_module()
    {
        using var context = LlvmContext.Create();
        using var module = LlvmModule.Parse(context, "define i32 @f(i32 %a) {\n  ret i32 %a\n}\n"u8, "f.ll");
        Assert.Null(module.Verify());
        var ret = module.GetFunction("f")!.Value.EntryBlock.Terminator!.Value;
        ret.EraseFromParent(); // a block without a terminator
        Assert.Contains("terminator", module.Verify());
    }

    [Theory]
    [InlineData("default<O2>")]
    [InlineData("function(sccp,simplifycfg,instcombine)")]
    [InlineData("")]
    public void Runs_new_pass_manager_pipelines_and_emits_bpf_objects_with_btf(string pipeline)
    {
        using var context = LlvmContext.Create();
        using var module = LlvmModule.Parse(context, EtherTypeBitcode, "p.bc");
        using var target = LlvmTargetMachine.CreateBpf();
        target.Configure(module);
        if (pipeline.Length > 0)
            module.RunPasses(pipeline, target, new LlvmPassBuilderOptions(verifyEach: true));
        Assert.Null(module.Verify());
        var elf = target.EmitObject(module);
        Assert.Equal("\u007fELF", System.Text.Encoding.ASCII.GetString(elf, 0, 4));
        Assert.True(ContainsAscii(elf, ".BTF.ext"), "the object carries BTF line info");
    }

    [Fact]
    public void Rejects_an_unknown_pipeline_with_llvms_reason()
    {
        using var context = LlvmContext.Create();
        using var module = LlvmModule.Parse(context, EtherTypeBitcode, "p.bc");
        var e = Assert.Throws<KecleonException>(() => module.RunPasses("no-such-pass"));
        Assert.Contains("no-such-pass", e.Message);
    }

    [Theory]
    [InlineData(BpfCpu.V1)]
    [InlineData(BpfCpu.V2)]
    [InlineData(BpfCpu.V3)]
    public void Emits_for_every_bpf_cpu_version(BpfCpu cpu)
    {
        using var context = LlvmContext.Create();
        using var module = LlvmModule.Parse(context, EtherTypeBitcode, "p.bc");
        using var target = LlvmTargetMachine.CreateBpf(cpu);
        target.Configure(module);
        Assert.NotEmpty(target.EmitObject(module));
        Assert.Equal("bpfel", module.TargetTriple);
    }

    [Fact]
    public void Builder_creates_a_function_body_that_verifies()
    {
        using var context = LlvmContext.Create();
        using var module = LlvmModule.Parse(context, "declare i32 @inc(i32)\n"u8, "b.ll");
        // Turn the declaration into a definition: inc(a) = a == 0 ? 1 : a + 1, through a branch and a phi.
        var inc = module.GetFunction("inc")!.Value;
        var entry = inc.AppendBlock(context, "entry");
        var zero = inc.AppendBlock(context, "zero");
        var other = inc.AppendBlock(context, "other");
        var join = inc.AppendBlock(context, "join");
        using var builder = new LlvmBuilder(context);
        var a = inc.Parameter(0);
        builder.PositionAtEnd(entry);
        builder.CondBr(builder.ICmp(LlvmIntPredicate.Eq, a, context.Int32.ConstInt(0)), zero, other);
        builder.PositionAtEnd(zero);
        builder.Br(join);
        builder.PositionAtEnd(other);
        var sum = builder.Add(a, context.Int32.ConstInt(1), "sum");
        builder.Br(join);
        builder.PositionAtEnd(join);
        var phi = builder.Phi(context.Int32, "r");
        LlvmBuilder.AddIncoming(phi, context.Int32.ConstInt(1), zero);
        LlvmBuilder.AddIncoming(phi, sum, other);
        builder.Ret(phi.Value);
        Assert.Null(module.Verify());
        Assert.Equal(4, inc.BlockCount);
        Assert.Equal(2, phi.IncomingCount);
    }

    /// <summary>A dynamic stack allocation: the BPF back end calls report_fatal_error for it, which without the guard
    /// ends the process.</summary>
    internal const string FatalForBpf = """
        target triple = "bpfel"
        define i32 @dynamic_alloca(i64 %n) section "xdp" {
          %p = alloca i8, i64 %n
          store volatile i8 1, i8* %p
          ret i32 0
        }
        """;

    [Fact]
    public void A_fatal_llvm_error_becomes_an_exception_and_the_next_compilation_works()
    {
        for (var round = 0; round < 2; round++)
        {
            var context = LlvmContext.Create();
            var module = LlvmModule.Parse(context, System.Text.Encoding.UTF8.GetBytes(FatalForBpf), "fatal.ll");
            var target = LlvmTargetMachine.CreateBpf();
            target.Configure(module);
            var e = Assert.Throws<LlvmFatalErrorException>(() => target.EmitObject(module));
            Assert.Equal("LLVM reported a fatal error while generating BPF code for fatal.ll: Unsupported dynamic stack allocation", e.Message);
            Assert.Equal(ExitCodes.BadInput, e.ExitCode);
            Assert.True(context.IsAbandoned);
            // Abandoned objects are leaked, never freed: disposing them is a no-op.
            module.Dispose();
            target.Dispose();
            context.Dispose();

            using var fresh = LlvmContext.Create();
            using var good = LlvmModule.Parse(fresh, EtherTypeBitcode, "after.bc");
            using var machine = LlvmTargetMachine.CreateBpf();
            machine.Configure(good);
            good.RunPasses("default<O2>", machine);
            Assert.NotEmpty(machine.EmitObject(good));
        }
    }

    [Fact]
    public void An_error_diagnostic_fails_the_call_without_ending_the_process()
    {
        // Inline assembly that is not BPF: LLVM reports it as an error diagnostic, which exits without a handler.
        using var context = LlvmContext.Create();
        using var module = LlvmModule.Parse(context, """
            target triple = "bpfel"
            define i32 @bad_asm() section "xdp" {
              call void asm sideeffect "no_such_instruction r0", ""()
              ret i32 0
            }
            """u8, "diag.ll");
        using var target = LlvmTargetMachine.CreateBpf();
        target.Configure(module);
        var e = Assert.Throws<KecleonException>(() => target.EmitObject(module));
        Assert.IsNotType<LlvmFatalErrorException>(e);
        Assert.Contains("diag.ll", e.Message);
        Assert.False(context.IsAbandoned);
    }

    [Fact]
    public void Emits_inline_bpf_assembly()
    {
        using var context = LlvmContext.Create();
        using var module = LlvmModule.Parse(context, """
            target triple = "bpfel"
            define i32 @asm_load(i8* %ctx) section "xdp" {
              %v = call i64 asm sideeffect "$0 = *(u32 *)($1 + 0)", "=r,r"(i8* %ctx)
              %r = trunc i64 %v to i32
              ret i32 %r
            }
            """u8, "asm.ll");
        using var target = LlvmTargetMachine.CreateBpf();
        target.Configure(module);
        Assert.NotEmpty(target.EmitObject(module));
    }

    private static bool ContainsAscii(byte[] haystack, string needle) =>
        haystack.AsSpan().IndexOf(System.Text.Encoding.ASCII.GetBytes(needle)) >= 0;
}
