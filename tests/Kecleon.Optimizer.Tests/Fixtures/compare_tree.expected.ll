target datalayout = "e-m:e-p:64:64-i64:64-i128:128-n32:64-S128"
target triple = "bpfel"

%struct.anon.1 = type { [1 x i32]*, [64 x i32]*, %struct.flow*, i32* }
%struct.flow = type { i32, i32, i16, i16, i32 }
%struct.anon = type { [2 x i32]*, [1 x i32]*, i32*, %struct.kecleon_guard_versions* }
%struct.kecleon_guard_versions = type { [256 x i64] }
%struct.anon.0 = type { [3 x i32]*, [8 x i32]*, i32*, i32* }
%struct.xdp_md = type { i32, i32, i32, i32, i32, i32 }
%struct.ethhdr = type { [6 x i8], [6 x i8], i16 }

@LICENSE = dso_local global [4 x i8] c"GPL\00", section "license", align 1
@flows = dso_local global %struct.anon.1 zeroinitializer, section ".maps", align 8
@kecleon_guards = dso_local global %struct.anon zeroinitializer, section ".maps", align 8
@kecleon_fallback = dso_local global %struct.anon.0 zeroinitializer, section ".maps", align 8
@llvm.compiler.used = appending global [5 x i8*] [i8* getelementptr inbounds ([4 x i8], [4 x i8]* @LICENSE, i32 0, i32 0), i8* bitcast (i32 (%struct.xdp_md*)* @compare_tree to i8*), i8* bitcast (%struct.anon.1* @flows to i8*), i8* bitcast (%struct.anon.0* @kecleon_fallback to i8*), i8* bitcast (%struct.anon* @kecleon_guards to i8*)], section "llvm.metadata"

define dso_local i32 @compare_tree(%struct.xdp_md* nocapture noundef readonly %0) #0 section "xdp" {
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
  %13 = getelementptr %struct.ethhdr, %struct.ethhdr* %12, i64 1, i32 0, i64 24
  %14 = icmp ugt i8* %13, %11
  br i1 %14, label %common.ret, label %15

15:
  %16 = inttoptr i64 %7 to %struct.ethhdr*
  %17 = getelementptr inbounds %struct.ethhdr, %struct.ethhdr* %16, i64 0, i32 2
  %18 = load i16, i16* %17, align 1, !tbaa
  %19 = icmp eq i16 %18, 8
  br i1 %19, label %20, label %common.ret

20:
  %21 = inttoptr i64 %7 to %struct.ethhdr*
  %22 = getelementptr inbounds %struct.ethhdr, %struct.ethhdr* %21, i64 1, i32 0, i64 12
  %23 = bitcast i8* %22 to i32*
  %24 = load i32, i32* %23, align 4, !tbaa
  %25 = getelementptr inbounds %struct.ethhdr, %struct.ethhdr* %21, i64 1, i32 0, i64 16
  %26 = bitcast i8* %25 to i32*
  %27 = load i32, i32* %26, align 4, !tbaa
  %sunkaddr = inttoptr i64 %7 to i16*
  %28 = bitcast i16* %sunkaddr to i8*
  %sunkaddr7 = getelementptr inbounds i8, i8* %28, i64 34
  %29 = bitcast i8* %sunkaddr7 to i16*
  %30 = load i16, i16* %29, align 2, !tbaa
  %31 = getelementptr inbounds %struct.ethhdr, %struct.ethhdr* %21, i64 1, i32 0, i64 22
  %32 = bitcast i8* %31 to i16*
  %33 = load i16, i16* %32, align 2, !tbaa
  %34 = zext i32 %24 to i64
  %35 = zext i32 %27 to i64
  %36 = shl nuw i64 %35, 32
  %37 = or i64 %36, %34
  %38 = zext i16 %30 to i64
  %39 = zext i16 %33 to i64
  %40 = shl nuw nsw i64 %39, 16
  %41 = or i64 %40, %38
  switch i64 %37, label %kecleon.inline.flows.0.exit [
    i64 72243136641892362, label %first_word.i
    i64 72243136658669578, label %first_word1.i
    i64 144300730679820298, label %first_word4.i
  ]

first_word.i:
  %42 = icmp eq i64 %41, 80891904
  br i1 %42, label %hit.i, label %kecleon.inline.flows.0.exit

hit.i:
  br label %kecleon.inline.flows.0.exit

first_word1.i:
  %43 = icmp eq i64 %41, 80891904
  %. = select i1 %43, { i1, i64 } { i1 true, i64 3 }, { i1, i64 } zeroinitializer
  br label %kecleon.inline.flows.0.exit

first_word4.i:
  %44 = icmp eq i64 %41, 80919297
  br i1 %44, label %hit.i, label %kecleon.inline.flows.0.exit

kecleon.inline.flows.0.exit:
  %inlined1 = phi { i1, i64 } [ { i1 true, i64 1 }, %hit.i ], [ zeroinitializer, %20 ], [ zeroinitializer, %first_word.i ], [ %., %first_word1.i ], [ zeroinitializer, %first_word4.i ]
  %found = extractvalue { i1, i64 } %inlined1, 0
  %word0 = extractvalue { i1, i64 } %inlined1, 1
  %45 = trunc i64 %word0 to i32
  %46 = select i1 %found, i32 %45, i32 2
  br label %common.ret

common.ret:
  %common.ret.op = phi i32 [ 0, %kecleon.fallback ], [ %46, %kecleon.inline.flows.0.exit ], [ 2, %15 ], [ 2, %4 ]
  ret i32 %common.ret.op

kecleon.fallback:
  %47 = bitcast %struct.xdp_md* %0 to i8*
  %48 = call i64 inttoptr (i64 12 to i64 (i8*, i8*, i32)*)(i8* noundef %47, i8* noundef bitcast (%struct.anon.0* @kecleon_fallback to i8*), i32 noundef 0) #3
  br label %common.ret

kecleon.check:
  %49 = getelementptr inbounds i8, i8* %3, i64 16
  %50 = bitcast i8* %49 to i64*
  %51 = load i64, i64* %50, align 8, !tbaa
  %52 = icmp eq i64 %51, 1
  br i1 %52, label %4, label %kecleon.fallback
}

declare void @llvm.lifetime.start.p0i8(i64 immarg, i8* nocapture) #1

declare void @llvm.lifetime.end.p0i8(i64 immarg, i8* nocapture) #1

attributes #0 = { nounwind "frame-pointer"="all" "no-trapping-math"="true" "stack-protector-buffer-size"="8" }
attributes #1 = { argmemonly nofree nosync nounwind willreturn }
attributes #2 = { nofree nosync nounwind readnone speculatable willreturn }
attributes #3 = { nounwind }
