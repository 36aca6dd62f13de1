using System.Buffers.Binary;
using System.Text;
using Kecleon.Llvm;
using Kecleon.Optimizer.CodeGen;
using Kecleon.Runtime.Deployment;
using Xunit;

namespace Kecleon.Runtime.Tests.Optimization;

/// <summary>
/// The hot-key table's hash, C# against IR, in the kernel: keys are placed into slots by <see cref="HotKeyHash"/>'s C#
/// side, and a program built around its IR emitter reads each placed key from a packet and writes the slot it computes
/// back into the packet. Every placed key must come back with its own slot (a disagreement would send every hot key to
/// the kernel lookup without any other sign).
/// </summary>
[Trait("Tier", "Kernel")]
public sealed class HotKeyHashTests
{
    [Theory]
    [InlineData(4, 7)]     // one word, zero-extended (a 4-byte key)
    [InlineData(16, 64)]   // two words
    [InlineData(20, 300)]  // three words, the last partial
    [InlineData(40, 1000)] // five words: the fold constants wrap around
    public void Every_placed_key_is_found_in_its_slot(int keySize, int keyCount)
    {
        var random = new Random(keySize * 1000 + keyCount);
        var keys = Enumerable.Range(0, keyCount).Select(_ =>
        {
            var key = new byte[keySize];
            random.NextBytes(key);
            return KeyLoader.Chunks(key);
        }).ToList();
        var slots = (int)Math.Min(4096, Math.Max(16, System.Numerics.BitOperations.RoundUpToPowerOf2((uint)keyCount * 4)));
        var (hash, placed) = HotKeyHash.Choose(keys, System.Numerics.BitOperations.Log2((uint)slots));
        Assert.True(placed.Count(p => p >= 0) > keyCount / 2, $"{placed.Count(p => p >= 0)} of {keyCount} keys placed");
        Assert.All(placed.Where(p => p >= 0), p => Assert.InRange(p, 0, hash.Slots - 1));

        var words = keys[0].Length;
        using var program = LoadedVariant.Load("hash_probe", Build(hash, words), "hash_probe");
        for (var i = 0; i < keys.Count; i++)
        {
            if (placed[i] < 0)
                continue;
            var packet = new byte[Math.Max(64, words * 8)];
            for (var w = 0; w < words; w++)
                BinaryPrimitives.WriteUInt64LittleEndian(packet.AsSpan(w * 8), keys[i][w]);
            var result = program.Program.TestRun(packet);
            Assert.Equal(2u, result.ReturnValue); // XDP_PASS: the packet held the key
            Assert.Equal((ulong)placed[i], BinaryPrimitives.ReadUInt64LittleEndian(result.Output));
        }
    }

    /// <summary>An XDP program that reads <paramref name="words"/> 64-bit words from the packet, hashes them with
    /// <paramref name="hash"/>'s IR and writes the slot over the first word.</summary>
    private static byte[] Build(HotKeyHash hash, int words)
    {
        var parameters = string.Join(", ", Enumerable.Range(0, words).Select(_ => "i64"));
        var ir = new StringBuilder($$"""
            %struct.xdp_md = type { i32, i32, i32, i32, i32, i32 }

            declare i64 @hot.hash({{parameters}})

            define i32 @hash_probe(%struct.xdp_md* %ctx) section "xdp" {
            entry:
              %data.field = getelementptr inbounds %struct.xdp_md, %struct.xdp_md* %ctx, i64 0, i32 0
              %data.32 = load i32, i32* %data.field
              %end.field = getelementptr inbounds %struct.xdp_md, %struct.xdp_md* %ctx, i64 0, i32 1
              %end.32 = load i32, i32* %end.field
              %data.64 = zext i32 %data.32 to i64
              %data = inttoptr i64 %data.64 to i8*
              %end.64 = zext i32 %end.32 to i64
              %end = inttoptr i64 %end.64 to i8*
              %limit = getelementptr i8, i8* %data, i64 {{words * 8}}
              %short = icmp ugt i8* %limit, %end
              br i1 %short, label %drop, label %hash
            drop:
              ret i32 1
            hash:

            """);
        for (var w = 0; w < words; w++)
            ir.AppendLine($"""
                  %p{w}.byte = getelementptr i8, i8* %data, i64 {w * 8}
                  %p{w} = bitcast i8* %p{w}.byte to i64*
                  %w{w} = load i64, i64* %p{w}, align 1
                """);
        ir.AppendLine($$"""
              %slot = call i64 @hot.hash({{string.Join(", ", Enumerable.Range(0, words).Select(w => $"i64 %w{w}"))}})
              store i64 %slot, i64* %p0, align 1
              ret i32 2
            }

            """);
        using var context = LlvmContext.Create();
        using var module = LlvmModule.Parse(context, Encoding.UTF8.GetBytes(ir.ToString()), "hash_probe.ll");
        var function = module.GetFunction("hot.hash")!.Value;
        using (var builder = new LlvmBuilder(context))
        {
            builder.PositionAtEnd(function.AppendBlock(context, "entry"));
            builder.Ret(hash.Emit(builder, Enumerable.Range(0, words).Select(function.Parameter).ToList()));
        }
        function.Linkage = LlvmLinkage.Internal;
        function.AddAttribute(context, "alwaysinline");
        Assert.Null(module.Verify());
        return Kecleon.Optimizer.CodeGen.BpfCompiler.Compile(module).Elf;
    }
}
