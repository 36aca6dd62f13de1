target datalayout = "e-m:e-p:64:64-i64:64-i128:128-n32:64-S128"
target triple = "bpfel"

%struct.anon.1 = type { [1 x i32]*, [16 x i32]*, i32*, %struct.hop* }
%struct.hop = type { i32, i32 }
%struct.anon.2 = type { [11 x i32]*, [16 x i32]*, [1 x i32]*, %struct.lpm_key*, %struct.hop* }
%struct.lpm_key = type { i32, i32 }
%struct.xdp_md = type { i32, i32, i32, i32, i32, i32 }
%struct.ethhdr = type { [6 x i8], [6 x i8], i16 }

@LICENSE = dso_local global [4 x i8] c"GPL\00", section "license", align 1
@hosts = dso_local global %struct.anon.1 zeroinitializer, section ".maps", align 8
@counted_routes = dso_local global %struct.anon.2 zeroinitializer, section ".maps", align 8
@llvm.compiler.used = appending global [4 x i8*] [i8* getelementptr inbounds ([4 x i8], [4 x i8]* @LICENSE, i32 0, i32 0), i8* bitcast (%struct.anon.2* @counted_routes to i8*), i8* bitcast (%struct.anon.1* @hosts to i8*), i8* bitcast (i32 (%struct.xdp_md*)* @phi_member_refused to i8*)], section "llvm.metadata"

define dso_local i32 @phi_member_refused(%struct.xdp_md* nocapture noundef readonly %0) #0 section "xdp" {
  %2 = alloca i32, align 4
  %3 = alloca %struct.lpm_key, align 4
  %4 = bitcast %struct.xdp_md* %0 to i32*
  %5 = load i32, i32* %4, align 4, !tbaa
  %6 = zext i32 %5 to i64
  %7 = getelementptr inbounds %struct.xdp_md, %struct.xdp_md* %0, i64 0, i32 1
  %8 = load i32, i32* %7, align 4, !tbaa
  %9 = zext i32 %8 to i64
  %10 = inttoptr i64 %9 to i8*
  %11 = inttoptr i64 %6 to %struct.ethhdr*
  %12 = getelementptr inbounds %struct.ethhdr, %struct.ethhdr* %11, i64 1, i32 0, i64 20
  %13 = icmp ugt i8* %12, %10
  br i1 %13, label %50, label %14

14:
  %15 = inttoptr i64 %6 to %struct.ethhdr*
  %16 = getelementptr inbounds %struct.ethhdr, %struct.ethhdr* %15, i64 0, i32 2
  %17 = load i16, i16* %16, align 1, !tbaa
  %18 = icmp eq i16 %17, 8
  br i1 %18, label %19, label %50

19:
  %20 = inttoptr i64 %6 to %struct.ethhdr*
  %21 = bitcast i32* %2 to i8*
  call void @llvm.lifetime.start.p0i8(i64 4, i8* nonnull %21) #3
  %22 = getelementptr inbounds %struct.ethhdr, %struct.ethhdr* %20, i64 1, i32 0, i64 16
  %23 = bitcast i8* %22 to i32*
  %24 = load i32, i32* %23, align 4, !tbaa
  store i32 %24, i32* %2, align 4, !tbaa
  %25 = call i8* inttoptr (i64 1 to i8* (i8*, i8*)*)(i8* noundef bitcast (%struct.anon.1* @hosts to i8*), i8* noundef nonnull %21) #3
  %26 = icmp eq i8* %25, null
  br i1 %26, label %27, label %41

27:
  %28 = bitcast %struct.lpm_key* %3 to i8*
  call void @llvm.lifetime.start.p0i8(i64 8, i8* nonnull %28) #3
  %29 = bitcast %struct.lpm_key* %3 to i32*
  store i32 32, i32* %29, align 4, !tbaa
  %30 = getelementptr inbounds %struct.lpm_key, %struct.lpm_key* %3, i64 0, i32 1
  %31 = load i32, i32* %2, align 4, !tbaa
  store i32 %31, i32* %30, align 4, !tbaa
  %32 = call i8* inttoptr (i64 1 to i8* (i8*, i8*)*)(i8* noundef bitcast (%struct.anon.2* @counted_routes to i8*), i8* noundef nonnull %28) #3
  %33 = icmp eq i8* %32, null
  br i1 %33, label %34, label %36

34:
  %35 = bitcast %struct.lpm_key* %3 to i8*
  call void @llvm.lifetime.end.p0i8(i64 8, i8* nonnull %35) #3
  br label %47

36:
  %37 = bitcast %struct.lpm_key* %3 to i8*
  %38 = getelementptr inbounds i8, i8* %32, i64 4
  %39 = bitcast i8* %38 to i32*
  %40 = atomicrmw add i32* %39, i32 1 seq_cst, align 4
  call void @llvm.lifetime.end.p0i8(i64 8, i8* nonnull %37) #3
  br label %41

41:
  %42 = phi i8* [ %25, %19 ], [ %32, %36 ]
  %43 = bitcast i8* %42 to i32*
  %44 = load i32, i32* %43, align 4, !tbaa
  %45 = call i64 inttoptr (i64 23 to i64 (i32, i64)*)(i32 noundef %44, i64 noundef 0) #3
  %46 = trunc i64 %45 to i32
  br label %47

47:
  %48 = phi i32 [ %46, %41 ], [ 1, %34 ]
  %49 = bitcast i32* %2 to i8*
  call void @llvm.lifetime.end.p0i8(i64 4, i8* nonnull %49) #3
  br label %50

50:
  %51 = phi i32 [ %48, %47 ], [ 2, %14 ], [ 2, %1 ]
  ret i32 %51
}

declare void @llvm.lifetime.start.p0i8(i64 immarg, i8* nocapture) #2

declare void @llvm.lifetime.end.p0i8(i64 immarg, i8* nocapture) #2

attributes #0 = { nounwind "frame-pointer"="all" "min-legal-vector-width"="0" "no-trapping-math"="true" "stack-protector-buffer-size"="8" }
attributes #1 = { nofree nosync nounwind readnone speculatable willreturn }
attributes #2 = { argmemonly nofree nosync nounwind willreturn }
attributes #3 = { nounwind }
