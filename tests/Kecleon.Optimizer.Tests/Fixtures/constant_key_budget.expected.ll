target datalayout = "e-m:e-p:64:64-i64:64-i128:128-n32:64-S128"
target triple = "bpfel"

%struct.anon = type { [2 x i32]*, [4 x i32]*, i32*, i32* }
%struct.anon.0 = type { [2 x i32]*, [1 x i32]*, i32*, %struct.kecleon_guard_versions* }
%struct.kecleon_guard_versions = type { [256 x i64] }
%struct.anon.0.1 = type { [3 x i32]*, [8 x i32]*, i32*, i32* }
%struct.xdp_md = type { i32, i32, i32, i32, i32, i32 }

@LICENSE = dso_local global [4 x i8] c"GPL\00", section "license", align 1
@knobs = dso_local global %struct.anon zeroinitializer, section ".maps", align 8
@kecleon_guards = dso_local global %struct.anon.0 zeroinitializer, section ".maps", align 8
@kecleon_fallback = dso_local global %struct.anon.0.1 zeroinitializer, section ".maps", align 8
@llvm.compiler.used = appending global [5 x i8*] [i8* getelementptr inbounds ([4 x i8], [4 x i8]* @LICENSE, i32 0, i32 0), i8* bitcast (i32 (%struct.xdp_md*)* @constant_key_budget to i8*), i8* bitcast (%struct.anon* @knobs to i8*), i8* bitcast (%struct.anon.0.1* @kecleon_fallback to i8*), i8* bitcast (%struct.anon.0* @kecleon_guards to i8*)], section "llvm.metadata"

define dso_local i32 @constant_key_budget(%struct.xdp_md* nocapture noundef readonly %0) #0 section "xdp" {
kecleon.guard:
  %1 = alloca i32, align 4
  %2 = bitcast i32* %1 to i8*
  call void @llvm.lifetime.start.p0i8(i64 4, i8* nonnull %2) #3
  store i32 0, i32* %1, align 4, !tbaa
  %3 = call i8* inttoptr (i64 1 to i8* (i8*, i8*)*)(i8* noundef bitcast (%struct.anon.0* @kecleon_guards to i8*), i8* noundef nonnull %2) #3
  call void @llvm.lifetime.end.p0i8(i64 4, i8* nonnull %2) #3
  %.not = icmp eq i8* %3, null
  br i1 %.not, label %kecleon.fallback, label %kecleon.check

4:
  %5 = bitcast %struct.xdp_md* %0 to i32*
  %6 = load i32, i32* %5, align 4, !tbaa
  %7 = zext i32 %6 to i64
  %8 = getelementptr inbounds %struct.xdp_md, %struct.xdp_md* %0, i64 0, i32 1
  %9 = load i32, i32* %8, align 4, !tbaa
  %10 = zext i32 %9 to i64
  %11 = sub nsw i64 %10, %7
  %12 = icmp ult i64 %11, 64
  br i1 %12, label %common.ret, label %13

13:
  %14 = icmp ugt i64 %11, 1500
  %15 = select i1 %14, i32 1, i32 2
  br label %common.ret

common.ret:
  %common.ret.op = phi i32 [ 0, %kecleon.fallback ], [ 1, %4 ], [ %15, %13 ]
  ret i32 %common.ret.op

kecleon.fallback:
  %16 = bitcast %struct.xdp_md* %0 to i8*
  %17 = call i64 inttoptr (i64 12 to i64 (i8*, i8*, i32)*)(i8* noundef %16, i8* noundef bitcast (%struct.anon.0.1* @kecleon_fallback to i8*), i32 noundef 0) #3
  br label %common.ret

kecleon.check:
  %18 = bitcast i8* %3 to i64*
  %19 = load i64, i64* %18, align 8, !tbaa
  %20 = icmp eq i64 %19, 0
  br i1 %20, label %4, label %kecleon.fallback
}

declare void @llvm.lifetime.start.p0i8(i64 immarg, i8* nocapture) #1

declare void @llvm.lifetime.end.p0i8(i64 immarg, i8* nocapture) #1

attributes #0 = { nounwind "frame-pointer"="all" "no-trapping-math"="true" "stack-protector-buffer-size"="8" }
attributes #1 = { argmemonly nofree nosync nounwind willreturn }
attributes #2 = { nofree nosync nounwind readnone speculatable willreturn }
attributes #3 = { nounwind }
