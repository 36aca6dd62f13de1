target datalayout = "e-m:e-p:64:64-i64:64-i128:128-n32:64-S128"
target triple = "bpfel"

%struct.anon = type { [1 x i32]*, [16 x i32]*, i32*, i32* }
%struct.anon.0 = type { [1 x i32]*, [16 x i32]*, i32*, i32* }
%struct.anon.1 = type { [2 x i32]*, [1 x i32]*, i32*, %struct.kecleon_guard_versions* }
%struct.kecleon_guard_versions = type { [256 x i64] }
%struct.anon.0.2 = type { [3 x i32]*, [8 x i32]*, i32*, i32* }
%struct.xdp_md = type { i32, i32, i32, i32, i32, i32 }
%struct.ethhdr = type { [6 x i8], [6 x i8], i16 }

@LICENSE = dso_local global [4 x i8] c"GPL\00", section "license", align 1
@allowed = dso_local global %struct.anon zeroinitializer, section ".maps", align 8
@actions = dso_local global %struct.anon.0 zeroinitializer, section ".maps", align 8
@kecleon_guards = dso_local global %struct.anon.1 zeroinitializer, section ".maps", align 8
@kecleon_fallback = dso_local global %struct.anon.0.2 zeroinitializer, section ".maps", align 8
@llvm.compiler.used = appending global [6 x i8*] [i8* getelementptr inbounds ([4 x i8], [4 x i8]* @LICENSE, i32 0, i32 0), i8* bitcast (%struct.anon.0* @actions to i8*), i8* bitcast (%struct.anon* @allowed to i8*), i8* bitcast (i32 (%struct.xdp_md*)* @guard_wrapping to i8*), i8* bitcast (%struct.anon.0.2* @kecleon_fallback to i8*), i8* bitcast (%struct.anon.1* @kecleon_guards to i8*)], section "llvm.metadata"

define dso_local i32 @guard_wrapping(%struct.xdp_md* nocapture noundef readonly %0) #0 section "xdp" {
kecleon.guard:
  %1 = alloca i32, align 4
  %2 = bitcast i32* %1 to i8*
  call void @llvm.lifetime.start.p0i8(i64 4, i8* nonnull %2) #3
  store i32 0, i32* %1, align 4, !tbaa
  %3 = call i8* inttoptr (i64 1 to i8* (i8*, i8*)*)(i8* noundef bitcast (%struct.anon.1* @kecleon_guards to i8*), i8* noundef nonnull %2) #3
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
  %11 = inttoptr i64 %10 to i8*
  %12 = inttoptr i64 %7 to %struct.ethhdr*
  %13 = getelementptr inbounds %struct.ethhdr, %struct.ethhdr* %12, i64 1, i32 0, i64 0
  %14 = icmp ugt i8* %13, %11
  br i1 %14, label %common.ret, label %15

15:
  %16 = inttoptr i64 %7 to %struct.ethhdr*
  %17 = getelementptr inbounds %struct.ethhdr, %struct.ethhdr* %16, i64 0, i32 2
  %18 = load i16, i16* %17, align 1, !tbaa
  %19 = tail call i16 @llvm.bswap.i16(i16 %18)
  %20 = zext i16 %19 to i32
  switch i32 %20, label %kecleon.inline.allowed.0.exit [
    i32 2048, label %hit.i
    i32 2054, label %hit.i
  ]

hit.i:
  br label %kecleon.inline.allowed.0.exit

kecleon.inline.allowed.0.exit:
  %inlined4 = phi { i1, i64 } [ { i1 true, i64 1 }, %hit.i ], [ zeroinitializer, %15 ]
  %found = extractvalue { i1, i64 } %inlined4, 0
  %found.not = xor i1 %found, true
  %word0 = extractvalue { i1, i64 } %inlined4, 1
  %21 = trunc i64 %word0 to i32
  %22 = icmp eq i32 %21, 0
  %or.cond = select i1 %found.not, i1 true, i1 %22
  br i1 %or.cond, label %common.ret, label %23

23:
  %24 = zext i16 %19 to i32
  switch i32 %24, label %kecleon.inline.actions.1.exit [
    i32 2048, label %hit.i7
    i32 2054, label %hit1.i
  ]

hit.i7:
  br label %kecleon.inline.actions.1.exit

hit1.i:
  br label %kecleon.inline.actions.1.exit

kecleon.inline.actions.1.exit:
  %inlined18 = phi { i1, i64 } [ { i1 true, i64 2 }, %hit.i7 ], [ { i1 true, i64 3 }, %hit1.i ], [ zeroinitializer, %23 ]
  %found2 = extractvalue { i1, i64 } %inlined18, 0
  br i1 %found2, label %25, label %common.ret

25:
  %word03 = extractvalue { i1, i64 } %inlined18, 1
  %26 = trunc i64 %word03 to i32
  br label %common.ret

common.ret:
  %common.ret.op = phi i32 [ 0, %kecleon.fallback ], [ 1, %4 ], [ 1, %kecleon.inline.allowed.0.exit ], [ %26, %25 ], [ 2, %kecleon.inline.actions.1.exit ]
  ret i32 %common.ret.op

kecleon.fallback:
  %27 = bitcast %struct.xdp_md* %0 to i8*
  %28 = call i64 inttoptr (i64 12 to i64 (i8*, i8*, i32)*)(i8* noundef %27, i8* noundef bitcast (%struct.anon.0.2* @kecleon_fallback to i8*), i32 noundef 1) #3
  br label %common.ret

kecleon.check:
  %29 = getelementptr inbounds i8, i8* %3, i64 32
  %30 = bitcast i8* %29 to i64*
  %31 = load i64, i64* %30, align 8, !tbaa
  %32 = icmp eq i64 %31, 5
  %33 = getelementptr inbounds i8, i8* %3, i64 24
  %34 = bitcast i8* %33 to i64*
  %35 = load i64, i64* %34, align 8, !tbaa
  %36 = icmp eq i64 %35, 12
  %37 = and i1 %32, %36
  br i1 %37, label %4, label %kecleon.fallback
}

declare void @llvm.lifetime.start.p0i8(i64 immarg, i8* nocapture) #1

declare i16 @llvm.bswap.i16(i16) #2

declare void @llvm.lifetime.end.p0i8(i64 immarg, i8* nocapture) #1

attributes #0 = { nounwind "frame-pointer"="all" "no-trapping-math"="true" "stack-protector-buffer-size"="8" }
attributes #1 = { argmemonly nofree nosync nounwind willreturn }
attributes #2 = { nofree nosync nounwind readnone speculatable willreturn }
attributes #3 = { nounwind }
