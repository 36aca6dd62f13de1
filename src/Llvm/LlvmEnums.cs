namespace Kecleon.Llvm;

/// <summary>LLVM 14's <c>LLVMOpcode</c> values.</summary>
public enum LlvmOpcode
{
    Ret = 1, Br = 2, Switch = 3, IndirectBr = 4, Invoke = 5, Unreachable = 7, CallBr = 67,
    FNeg = 66, Add = 8, FAdd = 9, Sub = 10, FSub = 11, Mul = 12, FMul = 13, UDiv = 14, SDiv = 15, FDiv = 16,
    URem = 17, SRem = 18, FRem = 19, Shl = 20, LShr = 21, AShr = 22, And = 23, Or = 24, Xor = 25,
    Alloca = 26, Load = 27, Store = 28, GetElementPtr = 29,
    Trunc = 30, ZExt = 31, SExt = 32, FPToUI = 33, FPToSI = 34, UIToFP = 35, SIToFP = 36, FPTrunc = 37, FPExt = 38,
    PtrToInt = 39, IntToPtr = 40, BitCast = 41, AddrSpaceCast = 60,
    ICmp = 42, FCmp = 43, Phi = 44, Call = 45, Select = 46, UserOp1 = 47, UserOp2 = 48, VAArg = 49,
    ExtractElement = 50, InsertElement = 51, ShuffleVector = 52, ExtractValue = 53, InsertValue = 54, Freeze = 68,
    Fence = 55, AtomicCmpXchg = 56, AtomicRmw = 57,
    Resume = 58, LandingPad = 59, CleanupRet = 61, CatchRet = 62, CatchPad = 63, CleanupPad = 64, CatchSwitch = 65,
}

/// <summary>LLVM 14's <c>LLVMTypeKind</c> values.</summary>
public enum LlvmTypeKind
{
    Void = 0, Half = 1, Float = 2, Double = 3, X86Fp80 = 4, Fp128 = 5, PpcFp128 = 6, Label = 7, Integer = 8,
    Function = 9, Struct = 10, Array = 11, Pointer = 12, Vector = 13, Metadata = 14, X86Mmx = 15, Token = 16,
    ScalableVector = 17, BFloat = 18, X86Amx = 19,
}

/// <summary>LLVM's integer comparison predicates.</summary>
public enum LlvmIntPredicate
{
    Eq = 32, Ne = 33, Ugt = 34, Uge = 35, Ult = 36, Ule = 37, Sgt = 38, Sge = 39, Slt = 40, Sle = 41,
}

/// <summary>BPF instruction-set versions the back end can target (<c>-mcpu</c>).</summary>
public enum BpfCpu { V1 = 1, V2 = 2, V3 = 3 }
