target datalayout = "e-m:e-p:64:64-i64:64-i128:128-n32:64-S128"
target triple = "bpfel"

%struct.anon = type { [1 x i32]*, [16 x i32]*, i32*, i64* }
%struct.anon.0 = type { [1 x i32]*, [16 x i32]*, i32*, i32* }
%struct.anon.1 = type { [1 x i32]*, [16 x i32]*, i32*, i32* }
%struct.anon.2 = type { [1 x i32]*, [16 x i32]*, i32*, %struct.weights* }
%struct.weights = type { [4 x i32] }
%struct.xdp_md = type { i32, i32, i32, i32, i32, i32 }
%struct.ethhdr = type { [6 x i8], [6 x i8], i16 }

@LICENSE = dso_local global [4 x i8] c"GPL\00", section "license", align 1
@counters = dso_local global %struct.anon zeroinitializer, section ".maps", align 8
@unread = dso_local global %struct.anon.0 zeroinitializer, section ".maps", align 8
@aligned = dso_local global %struct.anon.1 zeroinitializer, section ".maps", align 8
@weighted = dso_local global %struct.anon.2 zeroinitializer, section ".maps", align 8
@llvm.compiler.used = appending global [6 x i8*] [i8* getelementptr inbounds ([4 x i8], [4 x i8]* @LICENSE, i32 0, i32 0), i8* bitcast (%struct.anon.1* @aligned to i8*), i8* bitcast (%struct.anon* @counters to i8*), i8* bitcast (i32 (%struct.xdp_md*)* @site_left_alone to i8*), i8* bitcast (%struct.anon.0* @unread to i8*), i8* bitcast (%struct.anon.2* @weighted to i8*)], section "llvm.metadata"

define dso_local i32 @site_left_alone(%struct.xdp_md* nocapture noundef readonly %0) #0 section "xdp" {
  %2 = alloca i32, align 4
  %3 = bitcast %struct.xdp_md* %0 to i32*
  %4 = load i32, i32* %3, align 4, !tbaa
  %5 = zext i32 %4 to i64
  %6 = getelementptr inbounds %struct.xdp_md, %struct.xdp_md* %0, i64 0, i32 1
  %7 = load i32, i32* %6, align 4, !tbaa
  %8 = zext i32 %7 to i64
  %9 = inttoptr i64 %8 to i8*
  %10 = inttoptr i64 %5 to %struct.ethhdr*
  %11 = getelementptr inbounds %struct.ethhdr, %struct.ethhdr* %10, i64 1, i32 0, i64 0
  %12 = icmp ugt i8* %11, %9
  br i1 %12, label %57, label %13

13:
  %14 = inttoptr i64 %5 to %struct.ethhdr*
  %15 = bitcast i32* %2 to i8*
  call void @llvm.lifetime.start.p0i8(i64 4, i8* nonnull %15) #3
  %16 = getelementptr inbounds %struct.ethhdr, %struct.ethhdr* %14, i64 0, i32 2
  %17 = load i16, i16* %16, align 1, !tbaa
  %18 = tail call i16 @llvm.bswap.i16(i16 %17)
  %19 = zext i16 %18 to i32
  store i32 %19, i32* %2, align 4, !tbaa
  %20 = call i8* inttoptr (i64 1 to i8* (i8*, i8*)*)(i8* noundef bitcast (%struct.anon* @counters to i8*), i8* noundef nonnull %15) #3
  %21 = icmp eq i8* %20, null
  br i1 %21, label %25, label %22

22:
  %23 = bitcast i8* %20 to i64*
  %24 = atomicrmw add i64* %23, i64 1 seq_cst, align 8
  br label %25

25:
  %26 = bitcast i32* %2 to i8*
  %27 = call i8* inttoptr (i64 1 to i8* (i8*, i8*)*)(i8* noundef bitcast (%struct.anon.0* @unread to i8*), i8* noundef nonnull %26) #3
  %28 = icmp eq i8* %27, null
  br i1 %28, label %33, label %29

29:
  %30 = bitcast i8* %27 to i32*
  %31 = load i32, i32* %30, align 4, !tbaa
  %32 = icmp eq i32 %31, 0
  br i1 %32, label %33, label %54

33:
  %34 = bitcast i32* %2 to i8*
  %35 = call i8* inttoptr (i64 1 to i8* (i8*, i8*)*)(i8* noundef bitcast (%struct.anon.1* @aligned to i8*), i8* noundef nonnull %34) #3
  %36 = icmp eq i8* %35, null
  %37 = ptrtoint i8* %35 to i64
  %38 = and i64 %37, 4
  %39 = icmp eq i64 %38, 0
  %40 = select i1 %36, i1 true, i1 %39
  br i1 %40, label %41, label %54

41:
  %42 = bitcast i32* %2 to i8*
  %43 = call i8* inttoptr (i64 1 to i8* (i8*, i8*)*)(i8* noundef bitcast (%struct.anon.2* @weighted to i8*), i8* noundef nonnull %42) #3
  %44 = icmp eq i8* %43, null
  br i1 %44, label %54, label %45

45:
  %46 = inttoptr i64 %5 to %struct.ethhdr*
  %47 = bitcast i8* %43 to [4 x i32]*
  %48 = bitcast %struct.ethhdr* %46 to i8*
  %49 = load i8, i8* %48, align 1, !tbaa
  %50 = and i8 %49, 3
  %51 = zext i8 %50 to i64
  %52 = getelementptr inbounds [4 x i32], [4 x i32]* %47, i64 0, i64 %51
  %53 = load i32, i32* %52, align 4, !tbaa
  br label %54

54:
  %55 = phi i32 [ 1, %29 ], [ 3, %33 ], [ %53, %45 ], [ 2, %41 ]
  %56 = bitcast i32* %2 to i8*
  call void @llvm.lifetime.end.p0i8(i64 4, i8* nonnull %56) #3
  br label %57

57:
  %58 = phi i32 [ %55, %54 ], [ 1, %1 ]
  ret i32 %58
}

declare void @llvm.lifetime.start.p0i8(i64 immarg, i8* nocapture) #1

declare i16 @llvm.bswap.i16(i16) #2

declare void @llvm.lifetime.end.p0i8(i64 immarg, i8* nocapture) #1

attributes #0 = { nounwind "frame-pointer"="all" "min-legal-vector-width"="0" "no-trapping-math"="true" "stack-protector-buffer-size"="8" }
attributes #1 = { argmemonly nofree nosync nounwind willreturn }
attributes #2 = { nofree nosync nounwind readnone speculatable willreturn }
attributes #3 = { nounwind }
