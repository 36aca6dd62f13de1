target datalayout = "e-m:e-p:64:64-i64:64-i128:128-n32:64-S128"
target triple = "bpfel"

%struct.anon = type { [2 x i32]*, [2 x i32]*, i32*, i32* }
%struct.anon.0 = type { [2 x i32]*, [1 x i32]*, i32*, %struct.conf* }
%struct.conf = type { i32, i32, i64 }
%struct.anon.1 = type { [2 x i32]*, [1 x i32]*, i32*, %struct.kecleon_guard_versions* }
%struct.kecleon_guard_versions = type { [256 x i64] }
%struct.anon.0.2 = type { [3 x i32]*, [8 x i32]*, i32*, i32* }
%struct.xdp_md = type { i32, i32, i32, i32, i32, i32 }
%struct.ethhdr = type { [6 x i8], [6 x i8], i16 }

@LICENSE = dso_local global [4 x i8] c"GPL\00", section "license", align 1
@values = dso_local global %struct.anon zeroinitializer, section ".maps", align 8
@conf = dso_local global %struct.anon.0 zeroinitializer, section ".maps", align 8
@kecleon_guards = dso_local global %struct.anon.1 zeroinitializer, section ".maps", align 8
@kecleon_fallback = dso_local global %struct.anon.0.2 zeroinitializer, section ".maps", align 8
@llvm.compiler.used = appending global [6 x i8*] [i8* getelementptr inbounds ([4 x i8], [4 x i8]* @LICENSE, i32 0, i32 0), i8* bitcast (%struct.anon.0* @conf to i8*), i8* bitcast (i32 (%struct.xdp_md*)* @per_key to i8*), i8* bitcast (%struct.anon* @values to i8*), i8* bitcast (%struct.anon.0.2* @kecleon_fallback to i8*), i8* bitcast (%struct.anon.1* @kecleon_guards to i8*)], section "llvm.metadata"

define dso_local i32 @per_key(%struct.xdp_md* nocapture noundef readonly %0) #0 section "xdp" {
kecleon.guard:
  %1 = alloca i32, align 4
  %2 = alloca i32, align 4
  %3 = alloca i32, align 4
  %4 = bitcast i32* %1 to i8*
  call void @llvm.lifetime.start.p0i8(i64 4, i8* nonnull %4) #3
  store i32 0, i32* %1, align 4, !tbaa
  %5 = call i8* inttoptr (i64 1 to i8* (i8*, i8*)*)(i8* noundef bitcast (%struct.anon.1* @kecleon_guards to i8*), i8* noundef nonnull %4) #3
  call void @llvm.lifetime.end.p0i8(i64 4, i8* nonnull %4) #3
  %.not = icmp eq i8* %5, null
  br i1 %.not, label %kecleon.fallback, label %kecleon.check

6:
  %7 = bitcast %struct.xdp_md* %0 to i32*
  %8 = load i32, i32* %7, align 4, !tbaa
  %9 = zext i32 %8 to i64
  %10 = getelementptr inbounds %struct.xdp_md, %struct.xdp_md* %0, i64 0, i32 1
  %11 = load i32, i32* %10, align 4, !tbaa
  %12 = zext i32 %11 to i64
  %13 = inttoptr i64 %12 to i8*
  %14 = inttoptr i64 %9 to %struct.ethhdr*
  %15 = bitcast i32* %2 to i8*
  call void @llvm.lifetime.start.p0i8(i64 4, i8* nonnull %15) #3
  store i32 1, i32* %2, align 4, !tbaa
  %16 = bitcast i32* %3 to i8*
  call void @llvm.lifetime.start.p0i8(i64 4, i8* nonnull %16) #3
  store i32 0, i32* %3, align 4, !tbaa
  %17 = getelementptr inbounds %struct.ethhdr, %struct.ethhdr* %14, i64 1, i32 0, i64 0
  %18 = icmp ugt i8* %17, %13
  br i1 %18, label %39, label %19

19:
  %20 = bitcast i32* %2 to i8*
  %21 = call i8* inttoptr (i64 1 to i8* (i8*, i8*)*)(i8* noundef bitcast (%struct.anon* @values to i8*), i8* noundef nonnull %20) #3
  %22 = icmp eq i8* %21, null
  br i1 %22, label %26, label %23

23:
  %24 = bitcast i8* %21 to i32*
  %25 = atomicrmw add i32* %24, i32 1 seq_cst, align 4
  br label %26

26:
  %27 = bitcast i32* %3 to i8*
  %28 = call i8* inttoptr (i64 1 to i8* (i8*, i8*)*)(i8* noundef bitcast (%struct.anon.0* @conf to i8*), i8* noundef nonnull %27) #3
  %29 = icmp eq i8* %28, null
  br i1 %29, label %39, label %30

30:
  %31 = inttoptr i64 %9 to %struct.ethhdr*
  %32 = getelementptr inbounds i8, i8* %28, i64 8
  %33 = bitcast i8* %32 to i64*
  %34 = atomicrmw add i64* %33, i64 1 seq_cst, align 8
  %35 = getelementptr inbounds %struct.ethhdr, %struct.ethhdr* %31, i64 0, i32 2
  %36 = load i16, i16* %35, align 1, !tbaa
  %37 = icmp eq i16 %36, 1544
  %38 = select i1 %37, i32 1, i32 2
  br label %39

common.ret:
  %common.ret.op = phi i32 [ %40, %39 ], [ 0, %kecleon.fallback ]
  ret i32 %common.ret.op

39:
  %40 = phi i32 [ 0, %6 ], [ 0, %26 ], [ %38, %30 ]
  %41 = bitcast i32* %3 to i8*
  %42 = bitcast i32* %2 to i8*
  call void @llvm.lifetime.end.p0i8(i64 4, i8* nonnull %41) #3
  call void @llvm.lifetime.end.p0i8(i64 4, i8* nonnull %42) #3
  br label %common.ret

kecleon.fallback:
  %43 = bitcast %struct.xdp_md* %0 to i8*
  %44 = call i64 inttoptr (i64 12 to i64 (i8*, i8*, i32)*)(i8* noundef %43, i8* noundef bitcast (%struct.anon.0.2* @kecleon_fallback to i8*), i32 noundef 0) #3
  br label %common.ret

kecleon.check:
  %45 = bitcast i8* %5 to i64*
  %46 = getelementptr inbounds i8, i8* %5, i64 8
  %47 = bitcast i8* %46 to i64*
  %48 = load i64, i64* %47, align 8, !tbaa
  %49 = load i64, i64* %45, align 8, !tbaa
  %50 = or i64 %48, %49
  %51 = icmp eq i64 %50, 0
  br i1 %51, label %6, label %kecleon.fallback
}

declare void @llvm.lifetime.start.p0i8(i64 immarg, i8* nocapture) #1

declare void @llvm.lifetime.end.p0i8(i64 immarg, i8* nocapture) #1

attributes #0 = { nounwind "frame-pointer"="all" "no-trapping-math"="true" "stack-protector-buffer-size"="8" }
attributes #1 = { argmemonly nofree nosync nounwind willreturn }
attributes #2 = { nofree nosync nounwind readnone speculatable willreturn }
attributes #3 = { nounwind }
