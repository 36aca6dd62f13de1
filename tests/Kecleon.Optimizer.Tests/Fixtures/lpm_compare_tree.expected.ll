target datalayout = "e-m:e-p:64:64-i64:64-i128:128-n32:64-S128"
target triple = "bpfel"

%struct.anon.1 = type { [11 x i32]*, [1024 x i32]*, [1 x i32]*, %struct.lpm_key*, i32* }
%struct.lpm_key = type { i32, i32 }
%struct.anon = type { [2 x i32]*, [1 x i32]*, i32*, %struct.kecleon_guard_versions* }
%struct.kecleon_guard_versions = type { [256 x i64] }
%struct.anon.0 = type { [3 x i32]*, [8 x i32]*, i32*, i32* }
%struct.xdp_md = type { i32, i32, i32, i32, i32, i32 }
%struct.ethhdr = type { [6 x i8], [6 x i8], i16 }

@LICENSE = dso_local global [4 x i8] c"GPL\00", section "license", align 1
@routes = dso_local global %struct.anon.1 zeroinitializer, section ".maps", align 8
@kecleon_guards = dso_local global %struct.anon zeroinitializer, section ".maps", align 8
@kecleon_fallback = dso_local global %struct.anon.0 zeroinitializer, section ".maps", align 8
@llvm.compiler.used = appending global [5 x i8*] [i8* getelementptr inbounds ([4 x i8], [4 x i8]* @LICENSE, i32 0, i32 0), i8* bitcast (i32 (%struct.xdp_md*)* @lpm_compare_tree to i8*), i8* bitcast (%struct.anon.1* @routes to i8*), i8* bitcast (%struct.anon.0* @kecleon_fallback to i8*), i8* bitcast (%struct.anon* @kecleon_guards to i8*)], section "llvm.metadata"

define dso_local i32 @lpm_compare_tree(%struct.xdp_md* nocapture noundef readonly %0) #0 section "xdp" {
kecleon.guard:
  %1 = alloca i32, align 4
  %2 = bitcast i32* %1 to i8*
  call void @llvm.lifetime.start.p0i8(i64 4, i8* nonnull %2) #3
  store i32 0, i32* %1, align 4, !tbaa
  %3 = call i8* inttoptr (i64 1 to i8* (i8*, i8*)*)(i8* noundef bitcast (%struct.anon* @kecleon_guards to i8*), i8* noundef nonnull %2) #3
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
  %13 = getelementptr inbounds %struct.ethhdr, %struct.ethhdr* %12, i64 1, i32 0, i64 20
  %14 = icmp ugt i8* %13, %11
  br i1 %14, label %common.ret, label %15

15:
  %16 = inttoptr i64 %7 to %struct.ethhdr*
  %17 = getelementptr inbounds %struct.ethhdr, %struct.ethhdr* %16, i64 0, i32 2
  %18 = load i16, i16* %17, align 1, !tbaa
  %19 = icmp eq i16 %18, 8
  br i1 %19, label %range_search.i, label %common.ret

range_search.i:
  %20 = inttoptr i64 %7 to %struct.ethhdr*
  %21 = getelementptr inbounds %struct.ethhdr, %struct.ethhdr* %20, i64 1, i32 0, i64 16
  %22 = bitcast i8* %21 to i32*
  %23 = load i32, i32* %22, align 4, !tbaa
  %addr.i = call i32 @llvm.bswap.i32(i32 %23)
  %24 = icmp ult i32 %addr.i, 167903232
  br i1 %24, label %below.i, label %at_or_above.i

below.i:
  %25 = icmp ult i32 %addr.i, 167773952
  br i1 %25, label %below1.i, label %at_or_above2.i

at_or_above.i:
  %26 = icmp ult i32 %addr.i, 167970560
  br i1 %26, label %below5.i, label %at_or_above6.i

below1.i:
  %27 = icmp ult i32 %addr.i, 167772160
  br i1 %27, label %kecleon.inline.routes.0.exit, label %hit3.i

at_or_above2.i:
  %28 = add i32 %addr.i, -167774208
  %29 = icmp ult i32 %28, 63488
  br i1 %29, label %hit3.i, label %kecleon.inline.routes.0.exit

hit3.i:
  br label %kecleon.inline.routes.0.exit

below5.i:
  %30 = icmp ult i32 %addr.i, 167968768
  br i1 %30, label %kecleon.inline.routes.0.exit, label %hit8.i

at_or_above6.i:
  %31 = icmp ult i32 %addr.i, 167970816
  br i1 %31, label %hit3.i, label %at_or_above9.i

hit8.i:
  br label %kecleon.inline.routes.0.exit

at_or_above9.i:
  %32 = icmp ult i32 %addr.i, 168034304
  br i1 %32, label %hit8.i, label %kecleon.inline.routes.0.exit

kecleon.inline.routes.0.exit:
  %inlined1 = phi { i1, i64 } [ { i1 true, i64 0 }, %hit3.i ], [ { i1 true, i64 3 }, %hit8.i ], [ { i1 true, i64 1 }, %at_or_above9.i ], [ { i1 true, i64 1 }, %at_or_above2.i ], [ { i1 true, i64 1 }, %below1.i ], [ { i1 true, i64 2 }, %below5.i ]
  %found = extractvalue { i1, i64 } %inlined1, 0
  br i1 %found, label %33, label %common.ret

33:
  %word0 = extractvalue { i1, i64 } %inlined1, 1
  %34 = trunc i64 %word0 to i32
  %35 = icmp eq i32 %34, 0
  %36 = select i1 %35, i32 2, i32 3
  br label %common.ret

common.ret:
  %common.ret.op = phi i32 [ 0, %kecleon.fallback ], [ 2, %15 ], [ 2, %4 ], [ %36, %33 ], [ 1, %kecleon.inline.routes.0.exit ]
  ret i32 %common.ret.op

kecleon.fallback:
  %37 = bitcast %struct.xdp_md* %0 to i8*
  %38 = call i64 inttoptr (i64 12 to i64 (i8*, i8*, i32)*)(i8* noundef %37, i8* noundef bitcast (%struct.anon.0* @kecleon_fallback to i8*), i32 noundef 0) #3
  br label %common.ret

kecleon.check:
  %39 = getelementptr inbounds i8, i8* %3, i64 40
  %40 = bitcast i8* %39 to i64*
  %41 = load i64, i64* %40, align 8, !tbaa
  %42 = icmp eq i64 %41, 2
  br i1 %42, label %4, label %kecleon.fallback
}

declare void @llvm.lifetime.start.p0i8(i64 immarg, i8* nocapture) #1

declare void @llvm.lifetime.end.p0i8(i64 immarg, i8* nocapture) #1

declare i32 @llvm.bswap.i32(i32) #2

attributes #0 = { nounwind "frame-pointer"="all" "no-trapping-math"="true" "stack-protector-buffer-size"="8" }
attributes #1 = { argmemonly nofree nosync nounwind willreturn }
attributes #2 = { nofree nosync nounwind readnone speculatable willreturn }
attributes #3 = { nounwind }
